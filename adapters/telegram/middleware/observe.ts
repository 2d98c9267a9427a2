/**
 * The outermost middleware: measures how long each update takes and reports when it is done
 * (the benchmark and the tests wait on this). Logs kinds and timings only, never content.
 */
import type { MiddlewareFn } from "grammy";
import type { HotlineContext } from "../context.ts";

export interface UpdateObserver {
  /**
   * Called when the update's own handling starts: after it has waited for the same chat's
   * (and person's) earlier updates. Optional; the benchmark uses it to tell queueing apart.
   */
  started?(ctx: HotlineContext): void;
  /** Called once per update when its handling has finished, failed or not (ms since it entered the bot). */
  done(updateId: number, ms: number, failed: boolean): void;
}

export function observe(observer: UpdateObserver | undefined): MiddlewareFn<HotlineContext> {
  if (!observer) return (_ctx, next) => next();
  return async (ctx, next) => {
    const started = performance.now();
    let failed = true;
    try {
      await next();
      failed = false;
    } finally {
      observer.done(ctx.update.update_id, performance.now() - started, failed);
    }
  };
}

/** Placed after `sequentialize`: reports that the update's turn has come. */
export function observeStart(observer: UpdateObserver): MiddlewareFn<HotlineContext> {
  return (ctx, next) => {
    observer.started?.(ctx);
    return next();
  };
}
