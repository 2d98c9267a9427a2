/**
 * Starts the Telegram bot for `npm start`: sessions in memory or on Redis (REDIS_URL), long
 * polling by default, webhook mode when TELEGRAM_WEBHOOK_URL is set. The returned runner's
 * `stop()` stops taking updates, finishes those in flight and closes connections.
 */
import { join } from "node:path";
import type { App } from "../../src/index.ts";
import type { Assistant } from "../../src/index.ts";
import { logger } from "../../src/index.ts";
import { FallbackStore } from "../../src/index.ts";
import { LANGUAGES, caseRelays, localeOf, type Config, type KeyValueStore } from "../../src/index.ts";
import { startCaseRelay } from "./case-relay.ts";
import type { Runner } from "../runner.ts";
import { COMMANDS, createBot } from "./bot.ts";
import type { BotDeps } from "./deps.ts";
import { DeliveryJournal } from "./journal.ts";
import { startPolling } from "./polling.ts";
import { startWebhook } from "./webhook.ts";

export interface TelegramStartOptions {
  /** Overrides TELEGRAM_WEBHOOK_PORT (0 picks a free port: tests). */
  webhookPort?: number;
  /** Lease of update claims in seconds (tests use short ones). */
  leaseSeconds?: number;
  /** Long-polling timeout in seconds. */
  pollTimeout?: number;
}

/** The app's parts the Telegram adapter uses; `App` from `createApp(config)` has them all. */
export type TelegramApp = Pick<App, "config" | "assistant" | "store" | "caseIds" | "contacts" | "quiz" | "health">;

export async function startTelegram(app: TelegramApp, options: TelegramStartOptions = {}): Promise<Runner & { port?: number }> {
  const { config, assistant, store } = app;
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const webhook = Boolean(config.TELEGRAM_WEBHOOK_URL);
  const deps: BotDeps = {
    core: assistant,
    store,
    caseSecret: app.caseIds.secret,
    contacts: app.contacts,
    ...(app.quiz ? { quiz: app.quiz.engine } : {}),
    ...(config.TELEGRAM_STAFF_CHAT_ID ? { staffChatId: config.TELEGRAM_STAFF_CHAT_ID } : {}),
    ...slackCases(config, store),
  };
  const bot = createBot(
    deps,
    {
      token: config.TELEGRAM_BOT_TOKEN,
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, "") } : {}),
      // Several instances (webhook on a shared Redis) keep each chat's updates in order.
      // Without a shared store, done marks and sent records also go to a journal in DATA_DIR,
      // so a kill -9 does not make the next start answer again what was already answered.
      delivery: {
        chatLocks: store instanceof FallbackStore,
        ...(store instanceof FallbackStore ? {} : { journal: new DeliveryJournal(join(config.dataDir, "telegram-delivery.jsonl")) }),
        ...(options.leaseSeconds ? { leaseSeconds: options.leaseSeconds } : {}),
      },
    },
  );
  await bot.init();
  await setCommands(bot, assistant);
  await bot.quiz?.resume().catch((err: unknown) => logger().error({ event: "quiz_resume_failed", err: (err as Error).message }, "could not resume running quizzes"));

  const transport = webhook
    ? await startWebhook(bot, {
        secret: config.TELEGRAM_WEBHOOK_SECRET!,
        port: options.webhookPort ?? config.TELEGRAM_WEBHOOK_PORT,
        url: config.TELEGRAM_WEBHOOK_URL!,
        store,
        health: async () => app.health(),
      })
    : await startPolling(bot, { ...(options.pollTimeout !== undefined ? { timeout: options.pollTimeout } : {}) });
  // Staff replies from Slack case threads (queued by the Slack adapter, here or on another instance).
  const cases = startCaseRelay(bot.api, deps);
  const mode = webhook ? "webhook" : "polling";
  logger().info({ event: "telegram_started", mode, bot: bot.botInfo.username }, "Telegram bot started");
  return {
    name: "telegram",
    ...("port" in transport ? { port: transport.port } : {}),
    async stop() {
      await transport.stop(); // stop taking updates, finish the ones in flight
      await cases?.stop();
      await bot.quiz?.dispose();
    },
  };
}

/** The command menu, in English by default and in each language for apps set to it. */
async function setCommands(bot: ReturnType<typeof createBot>, assistant: Assistant): Promise<void> {
  try {
    for (const lang of LANGUAGES) {
      const commands = COMMANDS.map((command) => ({ command, description: assistant.t(localeOf(lang), `telegram.commands.${command}`) }));
      await bot.api.setMyCommands(commands, lang === "en" ? {} : { language_code: lang });
    }
  } catch (err) {
    logger().warn({ event: "set_commands_failed", err: (err as Error).message }, "could not set the command menu");
  }
}

/**
 * Cases go to Slack threads when SLACK_STAFF_CHANNEL is set and no Telegram staff chat is, and
 * a Slack adapter can deliver them: in this process (SLACK_BOT_TOKEN) or in another one on the
 * same Redis (REDIS_URL).
 */
function slackCases(config: Config, store: KeyValueStore): { slackCases?: ReturnType<typeof caseRelays> } {
  if (config.TELEGRAM_STAFF_CHAT_ID || !config.SLACK_STAFF_CHANNEL) return {};
  if (!config.SLACK_BOT_TOKEN && !config.REDIS_URL) {
    logger().warn(
      { event: "slack_handoff_off" },
      "SLACK_STAFF_CHANNEL is set but neither SLACK_BOT_TOKEN (Slack in this process) nor REDIS_URL (a Slack instance sharing Redis) is: the handoff to staff is off",
    );
    return {};
  }
  return { slackCases: caseRelays(store) };
}
