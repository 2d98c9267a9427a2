/**
 * Bolt's logger interface on top of the project's pino logger. Bolt and the Web API client log
 * request bodies at debug level (message text, user ids), so debug output is dropped entirely
 * and other levels keep only short strings and error names and codes, never objects.
 */
import { LogLevel, type Logger } from "@slack/bolt";
import type { Logger as Pino } from "pino";

export function boltLogger(log: Pino): Logger {
  let level: LogLevel = LogLevel.INFO;
  const line = (args: unknown[]): string =>
    args
      .map((a) => {
        if (typeof a === "string") return a;
        if (a instanceof Error) return `${a.name}${(a as { code?: string }).code ? ` (${(a as { code?: string }).code})` : ""}`;
        return "";
      })
      .filter(Boolean)
      .join(" ")
      .slice(0, 300);
  return {
    debug: () => {},
    info: (...args) => log.info({ event: "bolt" }, line(args)),
    warn: (...args) => log.warn({ event: "bolt" }, line(args)),
    error: (...args) => log.error({ event: "bolt" }, line(args)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
