/**
 * Web API calls that survive rate limits and passing faults. HTTP 429 answers are retried by
 * the Web API client itself (it waits for `Retry-After`); this wrapper also retries calls that
 * come back as `{ ok: false, error: "ratelimited" }` or with a transient server error
 * (`internal_error`, `fatal_error`, `service_unavailable`, `request_timeout`), and network
 * errors, a bounded number of times; every attempt has a timeout, so a hung call cannot hold
 * an answer (or a staff alert) for long.
 */
import type { Logger } from "pino";

export interface RetryOptions {
  /** Further attempts after the first. */
  retries: number;
  /** Wait before the first retry; doubled each time. */
  baseMs: number;
  /** Longest wait for one attempt (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseMs: 1000, timeoutMs: 10_000 };

const TRANSIENT = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "slack_webapi_request_error", "slack_webapi_http_error", "call_timeout"]);

/** Worth another attempt: a rate limit, a Slack-side fault, a network error or our own timeout. */
export function isTransient(err: unknown): boolean {
  const code = slackErrorCode(err);
  return isRateLimited(err) || (code !== undefined && TRANSIENT.has(code));
}

/** Rejects with code `call_timeout` when `work` takes longer than `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: "call_timeout" })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

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
      return await withTimeout(call(), options.timeoutMs ?? DEFAULT_RETRY.timeoutMs!, what);
    } catch (err) {
      if (!isTransient(err) || attempt >= options.retries) throw err;
      const wait = retryAfterMs(err) ?? options.baseMs * 2 ** attempt;
      log.warn({ event: isRateLimited(err) ? "slack_ratelimited" : "slack_retry", method: what, code: slackErrorCode(err), attempt: attempt + 1, waitMs: wait }, "Slack call failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as { retryAfter?: number; data?: { response_metadata?: unknown } };
  return typeof e.retryAfter === "number" ? e.retryAfter * 1000 : undefined;
}
