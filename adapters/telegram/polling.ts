/**
 * Long polling with @grammyjs/runner: updates are handled concurrently (ordered per chat by
 * `sequentialize` in the bot). `stop()` ends the pending `getUpdates` and resolves once every
 * update in flight has been handled.
 */
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { HotlineContext } from "./context.ts";

/** `poll_answer` carries quiz answers; `poll` (vote counts) is not needed and not requested. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer"] as const;

export interface PollingOptions {
  /** Long-polling timeout in seconds (Telegram holds the request this long). */
  timeout?: number;
}

export interface Polling {
  handle: RunnerHandle;
  /** Stops fetching and resolves when every update in flight has been handled (or after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export async function startPolling(bot: Bot<HotlineContext>, options: PollingOptions = {}): Promise<Polling> {
  await bot.init();
  // A webhook left from an earlier deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const handle = run(bot, {
    runner: { fetch: { timeout: options.timeout ?? 30, allowed_updates: ALLOWED_UPDATES }, silent: true, retryInterval: "exponential" },
  });
  return {
    handle,
    async stop(graceMs = 30_000) {
      if (handle.isRunning()) await handle.stop();
      // The runner's concurrent sink does not wait for its updates; drain them here.
      const deadline = Date.now() + graceMs;
      while (handle.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
