/**
 * Per-person rate limit (@grammyjs/ratelimiter), in memory or on the shared Redis. Over the
 * limit, messages are not answered, with two exceptions: the person gets one friendly notice
 * per window, and a message that triage flags still gets its safety reply, because a
 * frightened person typing fast is exactly who must not be turned away.
 */
import { limit } from "@grammyjs/ratelimiter";
import type { MiddlewareFn } from "grammy";
import { logger } from "../../../src/index.ts";
import type { KeyValueStore } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { sendHtml } from "../send.ts";
import { sendSafety } from "../features/ask.ts";

export interface RateLimitOptions {
  /** Messages allowed per window and person. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 20, windowMs: 60_000 };

/**
 * The limiter's counters live in the project's store (memory or Redis) under the person's
 * prefix (`tg:u:<id>:ratelimit`), so they are shared by instances and deleted by /forget.
 */
function counters(store: KeyValueStore, windowMs: number) {
  return {
    incr: (key: string) => store.increment(key, 1, Math.ceil(windowMs / 1000)),
    pexpire: async () => 1, // the expiry is set with the first increment
  };
}

export function rateLimit(deps: BotDeps, options: RateLimitOptions): MiddlewareFn<HotlineContext> {
  const notified = new Map<number, number>();
  const limiter = limit<HotlineContext, ReturnType<typeof counters>>({
    timeFrame: options.windowMs,
    limit: options.limit,
    alwaysReply: true,
    keyPrefix: "tg:u:",
    storageClient: counters(deps.store, options.windowMs),
    // Only messages count; button presses and poll answers are never limited.
    keyGenerator: (ctx) => ((ctx.message || ctx.editedMessage) && ctx.from ? `${ctx.from.id}:ratelimit` : undefined),
    onLimitExceeded: async (ctx) => {
      const text = ctx.message?.text ?? ctx.message?.caption;
      if (text && ctx.chat?.type === "private") {
        const triage = deps.core.triage(text, ctx.locale);
        if (triage.level !== "none") {
          await sendSafety(ctx, deps, triage, ctx.message!.message_id);
          return;
        }
      }
      const now = Date.now();
      const id = ctx.from!.id;
      if ((notified.get(id) ?? 0) > now) return;
      if (notified.size > 10_000) for (const [k, until] of notified) if (until <= now) notified.delete(k);
      notified.set(id, now + options.windowMs);
      await sendHtml(ctx.api, ctx.chat!.id, [escapeHtml(ctx.t("telegram.rate_limited"))]);
    },
  });
  // If the counters cannot be reached, the message is handled as if under the limit.
  return async (ctx, next) => {
    let passed = false;
    try {
      await limiter(ctx, () => {
        passed = true;
        return next();
      });
    } catch (err) {
      if (passed) throw err;
      logger().warn({ event: "rate_limit_unavailable", err: (err as Error).message.slice(0, 200) }, "rate limit counters unavailable; message let through");
      await next();
    }
  };
}
