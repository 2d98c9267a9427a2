/**
 * Configuration from environment variables, validated once at start-up.
 *
 * Every variable is listed (with a comment) in `.env.example`. A bad value stops start-up with
 * an error that names the variable; nothing else in the code reads `process.env`.
 */
import { z } from "zod";
import { resolve } from "node:path";
import { projectPath } from "./paths.ts";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = (what: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), { message: `must be an http(s) URL (${what})` });

const port = (fallback: number) =>
  optionalString
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => Number.isInteger(n) && n > 0 && n < 65536, { message: "must be a port number 1-65535" });

/** Why a REDIS_URL cannot be used (never echoes the value: it may hold a password), or undefined. */
export function redisUrlProblem(value: string): string | undefined {
  if (!/^rediss?:\/\//i.test(value)) return "must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL (check the port: a number 1-65535; e.g. redis://127.0.0.1:6379)";
  }
  if (!url.hostname) return "has no host (e.g. redis://127.0.0.1:6379)";
  if (url.port !== "" && !(Number(url.port) > 0 && Number(url.port) < 65536)) return "has a bad port (a number 1-65535)";
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,2}$/.test(db)) return "has a bad database number after the host (e.g. redis://127.0.0.1:6379/0)";
  return undefined;
}

const schema = z
  .object({
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATA_DIR: optionalString,
    KNOWLEDGE_DIR: optionalString,
    MODELS_DIR: optionalString,
    CONTACTS_FILE: optionalString,
    EMBEDDINGS: z.enum(["hashing", "transformers"]).default("hashing"),
    EMBEDDINGS_MODEL: z.string().default("Xenova/multilingual-e5-small"),
    CASE_ID_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: "must be at least 16 characters",
    }),
    REDIS_URL: optionalString.superRefine((v, ctx) => {
      const problem = v === undefined ? undefined : redisUrlProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),

    TELEGRAM_BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v), {
      message: "does not look like a bot token from @BotFather (digits:letters)",
    }),
    TELEGRAM_API_ROOT: url("a Bot API server, e.g. https://api.telegram.org"),
    TELEGRAM_WEBHOOK_URL: url("the public HTTPS address Telegram posts updates to"),
    TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
      message: "must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
    }),
    TELEGRAM_WEBHOOK_PORT: port(8080),
    TELEGRAM_STAFF_CHAT_ID: optionalString.refine((v) => v === undefined || /^-?\d+$|^@\w+$/.test(v), {
      message: "must be a numeric chat id or @channelname",
    }),

    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xoxb-"), {
      message: "must be a bot token starting with xoxb-",
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith("xapp-"), {
      message: "must be an app-level token starting with xapp-",
    }),
    SLACK_PORT: port(3000),
    SLACK_API_URL: url("the Slack Web API base, e.g. https://slack.com/api/"),
    SLACK_STAFF_CHANNEL: optionalString,
    SLACK_ASK_COMMAND: z.string().regex(/^\/[a-z0-9_-]+$/, "must look like /hotline-ask").default("/hotline-ask"),
    SLACK_QUIZ_COMMAND: z.string().regex(/^\/[a-z0-9_-]+$/, "must look like /hotline-quiz").default("/hotline-quiz"),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "is required when TELEGRAM_WEBHOOK_URL is set" });
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["TELEGRAM_BOT_TOKEN"], message: "is required when TELEGRAM_WEBHOOK_URL is set" });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)" });
    }
    if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "is required when other SLACK_ variables are set" });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  dataDir: string;
  knowledgeDir: string;
  /** Trained classifier files (built from knowledge/training by `hotline train` or at start). */
  modelsDir: string;
  telegramEnabled: boolean;
  slackEnabled: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  }
  const e = parsed.data;
  return {
    ...e,
    dataDir: resolve(e.DATA_DIR ?? projectPath(".data")),
    knowledgeDir: resolve(e.KNOWLEDGE_DIR ?? projectPath("knowledge")),
    modelsDir: resolve(e.MODELS_DIR ?? projectPath(".cache", "models")),
    telegramEnabled: Boolean(e.TELEGRAM_BOT_TOKEN),
    slackEnabled: Boolean(e.SLACK_BOT_TOKEN),
  };
}
