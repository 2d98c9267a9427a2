/**
 * Long polling with @grammyjs/runner: updates are handled concurrently (ordered per chat by
 * `sequentialize` in the bot). `stop()` ends the pending `getUpdates` and resolves once every
 * update in flight has been handled.
 */
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { HotlineContext } from "./context.ts";

export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll", "poll_answer"] as const;

export interface PollingOptions {
  /** Long-polling timeout in seconds (Telegram holds the request this long). */
  timeout?: number;
}

export async function startPolling(bot: Bot<HotlineContext>, options: PollingOptions = {}): Promise<RunnerHandle> {
  await bot.init();
  // A webhook left from an earlier deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  return run(bot, {
    runner: { fetch: { timeout: options.timeout ?? 30, allowed_updates: ALLOWED_UPDATES }, silent: true, retryInterval: "exponential" },
  });
}
