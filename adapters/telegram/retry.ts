/**
 * Every Bot API call is bounded: each attempt has a timeout (grammY's default is 500 s), 429s
 * are waited out only up to `maxRetryAfterSeconds` (a longer wait fails the call, so the update
 * is redelivered later instead of holding its chat), 5xx and network errors are retried a few
 * times with a short backoff. `getUpdates` gets its long-poll time on top of the timeout.
 */
import { HttpError, type Transformer } from "grammy";

export interface ApiRetryOptions {
  /** Attempts in all (default 3). */
  attempts: number;
  /** Timeout of one attempt in ms (default 10 s). */
  timeoutMs: number;
  /** Longest `retry_after` waited out, in seconds (default 5). */
  maxRetryAfterSeconds: number;
  /** First backoff after a 5xx or network error, in ms; doubled each time (default 500). */
  backoffMs: number;
}

export const DEFAULT_API_RETRY: ApiRetryOptions = { attempts: 3, timeoutMs: 10_000, maxRetryAfterSeconds: 5, backoffMs: 500 };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(new Error("aborted"));
    }, { once: true });
  });

export function boundedRetry(options: Partial<ApiRetryOptions> = {}): Transformer {
  const o = { ...DEFAULT_API_RETRY, ...options };
  return async (prev, method, payload, outer) => {
    const signal = outer as unknown as AbortSignal | undefined;
    let backoff = o.backoffMs;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= o.attempts;
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal?.addEventListener("abort", abort, { once: true });
      const pollSeconds = method === "getUpdates" ? Number((payload as { timeout?: number }).timeout ?? 0) : 0;
      const timer = setTimeout(abort, o.timeoutMs + pollSeconds * 1000);
      let result;
      try {
        result = await prev(method, payload, controller.signal as unknown as typeof outer);
      } catch (err) {
        if (!(err instanceof HttpError) || last || signal?.aborted) throw err;
        await sleep(backoff, signal);
        backoff *= 2;
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }
      if (result.ok || last) return result;
      const retryAfter = result.parameters?.retry_after;
      if (typeof retryAfter === "number") {
        if (retryAfter > o.maxRetryAfterSeconds) return result;
        await sleep(retryAfter * 1000, signal);
        continue;
      }
      if (result.error_code >= 500) {
        await sleep(backoff, signal);
        backoff *= 2;
        continue;
      }
      return result;
    }
  };
}
