/**
 * Long polling with at-least-once semantics. `getUpdates(offset)` confirms to Telegram every
 * update below `offset`, so the offset only ever moves past updates that were handled (their
 * replies sent): after a crash, whatever was fetched but not finished is fetched again, and
 * `delivery.ts` skips what was already done and the replies that already went out.
 *
 * Updates are handled concurrently (ordered per chat by `sequentialize` in the bot). A failed
 * update is tried again here with a growing pause (`retries` times), then given up with an
 * error line naming its update id; one that Telegram refused for good ("refused", a 4xx other
 * than 429) is given up at once, since every further attempt would meet the same refusal. `stop()` ends the pending `getUpdates`, then waits for the
 * updates in flight (up to `graceMs`).
 */
import type { Update } from "grammy/types";
import { logger } from "../../src/index.ts";
import type { HotlineBot } from "./bot.ts";
import { logOutcome, type Outcome } from "./delivery.ts";

/** `poll_answer` carries quiz answers; `poll` (vote counts) is not needed and not requested. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer"] as const;

export interface PollingOptions {
  /** Long-polling timeout in seconds (Telegram holds the request this long). */
  timeout?: number;
  /** Further attempts at a failed update (default 4). */
  retries?: number;
  /** Pause before the first further attempt (default 1 s), doubled each time. */
  retryMs?: number;
  /**
   * Called once per fetched update when polling is finished with it: handled ("done"), done
   * before ("duplicate"), refused for good ("refused"), or given up after every attempt ("failed",
   * "busy"). Later attempts of a failed update come before this, so tests and the benchmark
   * can wait for the final outcome instead of the first attempt.
   */
  onSettled?(updateId: number, outcome: Outcome): void;
}

export interface Polling {
  /** Updates being handled or waiting for another attempt. */
  size(): number;
  /** The offset last confirmed to Telegram. */
  offset(): number;
  /** Stops fetching and resolves when every update in flight has been handled (or after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export async function startPolling(bot: HotlineBot, options: PollingOptions = {}): Promise<Polling> {
  await bot.init();
  // A webhook left from an earlier deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const retries = options.retries ?? 4;
  const retryMs = options.retryMs ?? 1000;
  const pending = new Map<number, Promise<void>>(); // fetched, not finished (being handled or waiting to retry)
  const finished = new Set<number>(); // done or given up, not yet confirmed by the offset
  let offset = 0;
  let running = true;
  const abort = new AbortController();
  let wake: (() => void) | undefined;

  const handle = async (update: Update): Promise<Outcome> => {
    for (let attempt = 0; ; attempt++) {
      const outcome = await bot.delivery.process(bot, update);
      if (outcome === "refused") logOutcome(update, outcome, "polling");
      if (outcome !== "failed" && outcome !== "busy") return outcome;
      if (attempt >= retries) {
        logger().error({ event: "update_given_up", update_id: update.update_id, attempts: attempt + 1 }, "update failed on every attempt; giving up on it");
        return outcome;
      }
      logger().warn({ event: "update_retry", update_id: update.update_id, attempt: attempt + 1, outcome }, "update not handled; trying again");
      await new Promise((r) => setTimeout(r, retryMs * 2 ** attempt));
    }
  };

  const start = (update: Update) => {
    const id = update.update_id;
    const task = handle(update)
      .catch((): Outcome => "failed")
      .then((outcome) => {
        pending.delete(id);
        finished.add(id);
        wake?.();
        try {
          options.onSettled?.(id, outcome);
        } catch {
          // an observer's error must not stop polling
        }
      });
    pending.set(id, task);
  };

  /** Everything below the oldest unfinished update may be confirmed. */
  const nextOffset = (fetchedMax: number): number => {
    const oldest = pending.size ? Math.min(...pending.keys()) : fetchedMax + 1;
    for (const id of finished) if (id < oldest) finished.delete(id);
    return Math.max(offset, oldest);
  };

  const loop = (async () => {
    let failures = 0;
    let maxSeen = -1;
    while (running) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, limit: 100, timeout: options.timeout ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
          abort.signal as never,
        );
        failures = 0;
      } catch (err) {
        if (!running) break;
        failures++;
        logger().warn({ event: "get_updates_failed", err: (err as Error).message.slice(0, 200), failures }, "getUpdates failed; trying again");
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** Math.min(failures, 5), 15_000)));
        continue;
      }
      let fresh = 0;
      for (const update of updates) {
        maxSeen = Math.max(maxSeen, update.update_id);
        if (pending.has(update.update_id) || finished.has(update.update_id) || update.update_id < offset) continue;
        fresh++;
        start(update);
      }
      offset = nextOffset(maxSeen);
      // Only updates already in hand came back: wait for one of them to finish before asking again.
      if (updates.length > 0 && fresh === 0 && pending.size > 0 && running) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 1000);
          wake = () => {
            clearTimeout(t);
            wake = undefined;
            resolve();
          };
        });
        offset = nextOffset(maxSeen);
      }
    }
  })();

  return {
    size: () => pending.size,
    offset: () => offset,
    async stop(graceMs = 10_000) {
      running = false;
      abort.abort();
      wake?.();
      await loop.catch(() => undefined);
      const all = Promise.allSettled([...pending.values()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      if (pending.size === 0 && finished.size > 0) {
        // Confirm what was handled, so a restart does not fetch it again (it would be skipped anyway).
        offset = Math.max(offset, Math.max(...finished) + 1);
        await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => undefined);
      }
    },
  };
}
