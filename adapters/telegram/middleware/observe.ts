/**
 * The outermost middleware: measures how long each update takes and reports when it is done
 * (the benchmark and the tests wait on this). Logs kinds and timings only, never content.
 */
import type { MiddlewareFn } from "grammy";
import type { HotlineContext } from "../context.ts";

export interface UpdateObserver {
  /** Called once per update when its handling has finished, failed or not. */
  done(updateId: number, ms: number, failed: boolean): void;
}

export function observe(observer: UpdateObserver | undefined): MiddlewareFn<HotlineContext> {
  return async (ctx, next) => {
    const started = performance.now();
    let failed = true;
    try {
      await next();
      failed = false;
    } finally {
      observer?.done(ctx.update.update_id, performance.now() - started, failed);
    }
  };
}
