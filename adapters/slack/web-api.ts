/**
 * Web API calls that survive rate limits. HTTP 429 answers are retried by the Web API client
 * itself (it waits for `Retry-After`); this wrapper also retries calls that come back as
 * `{ ok: false, error: "ratelimited" }`, which the client treats as final.
 */
import type { Logger } from "pino";

export interface RetryOptions {
  /** Further attempts after the first. */
  retries: number;
  /** Wait before the first retry; doubled each time. */
  baseMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseMs: 1000 };

/** The Slack error code of a Web API failure (`ratelimited`, `channel_not_found`...), if any. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } } | undefined;
  return e?.data?.error ?? e?.code;
}

export function isRateLimited(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code === "ratelimited" || code === "rate_limited" || code === "slack_webapi_rate_limited_error";
}

export async function withRetry<T>(what: string, call: () => Promise<T>, log: Logger, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRateLimited(err) || attempt >= options.retries) throw err;
      const wait = retryAfterMs(err) ?? options.baseMs * 2 ** attempt;
      log.warn({ event: "slack_ratelimited", method: what, attempt: attempt + 1, waitMs: wait }, "Slack rate limit; retrying");
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as { retryAfter?: number; data?: { response_metadata?: unknown } };
  return typeof e.retryAfter === "number" ? e.retryAfter * 1000 : undefined;
}
