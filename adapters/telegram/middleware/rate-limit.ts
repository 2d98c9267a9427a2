/**
 * Per-person rate limit (@grammyjs/ratelimiter), in memory or on the shared Redis. Over the
 * limit, messages are not answered, with two exceptions: the person gets one friendly notice
 * per window, and a message that triage flags still gets its safety reply, because a
 * frightened person typing fast is exactly who must not be turned away.
 */
import { limit } from "@grammyjs/ratelimiter";
import type { MiddlewareFn } from "grammy";
import type { Redis } from "ioredis";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { sendHtml } from "../send.ts";
import { sendSafety } from "../features/ask.ts";

export interface RateLimitOptions {
  /** Messages allowed per window and person. */
  limit: number;
  windowMs: number;
  /** A shared Redis (ioredis) for several instances; memory otherwise. */
  redis?: Redis;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 20, windowMs: 60_000 };

export function rateLimit(deps: BotDeps, options: RateLimitOptions): MiddlewareFn<HotlineContext> {
  const notified = new Map<number, number>();
  return limit<HotlineContext, Redis>({
    timeFrame: options.windowMs,
    limit: options.limit,
    alwaysReply: true,
    keyPrefix: "hotline:tg:ratelimit:",
    ...(options.redis ? { storageClient: options.redis } : {}),
    // Only messages count; button presses and poll answers are never limited.
    keyGenerator: (ctx) => (ctx.message || ctx.editedMessage) && ctx.from ? String(ctx.from.id) : undefined,
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
}
