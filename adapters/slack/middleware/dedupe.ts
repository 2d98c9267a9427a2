/**
 * Global middleware: an Events API delivery whose `event_id` was seen before (a Slack retry,
 * `x-slack-retry-num`, or a duplicate delivery to another instance) stops here. Events are
 * acknowledged by Bolt before middleware runs, so Slack stops retrying either way. With
 * REDIS_URL the ids are shared by every instance behind the load balancer.
 */
import type { Middleware, AnyMiddlewareArgs } from "@slack/bolt";
import { claim } from "../answer-message.ts";
import { KEYS, type SlackDeps } from "../deps.ts";

export function dedupeEvents(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await claim(deps, KEYS.event(eventId)))) {
      deps.log.info({ event: "slack_duplicate", retry: context.retryNum ?? 0, reason: context.retryReason }, "duplicate event dropped");
      return;
    }
    await next();
  };
}
