/**
 * The project's logger (pino, JSON lines on stderr).
 *
 * Privacy rule: message text and platform user ids are never logged. Log events by kind, level,
 * language, pseudonymous case id and timing only. As a second line of defence, fields that
 * commonly carry user content are redacted whatever a caller passes.
 */
import { createRequire } from "node:module";
import type { Logger } from "pino";

/** pino, loaded with the first logger: a command that logs nothing (the CLI answering) never loads it. */
const loadPino = () => (createRequire(import.meta.url)("pino") as typeof import("pino")).pino;

export const REDACTED_FIELDS = [
  "text", "message", "question", "query", "user", "userId", "user_id", "from", "chat",
  "*.text", "*.message", "*.question", "*.user", "*.userId", "*.user_id", "*.from", "*.chat",
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  const pino = loadPino();
  return pino(
    {
      level,
      base: { app: "hotline" },
      formatters: { log: renameLevelField },
      redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * A `level` field in a log call is the triage level; left as it is, it would overwrite pino's
 * own level in the JSON line, so the most important events would slip past level filters.
 * It is written as `triage_level` instead (callers should use that name directly).
 */
export function renameLevelField(obj: Record<string, unknown>): Record<string, unknown> {
  if (!("level" in obj)) return obj;
  const { level, ...rest } = obj;
  return { ...rest, triage_level: level };
}

let root: Logger | undefined;
/** The process-wide logger; `LOG_LEVEL` sets its level. */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}

/** Replaces the process-wide logger (tests use a silent one). */
export function setLogger(l: Logger): void {
  root = l;
}
