/**
 * One update at a time on the CPU. The runner hands the bot a whole `getUpdates` batch (up to
 * 100 updates) at once; left alone, their middleware chains would advance in lockstep, one
 * `await` each in turn, so every answer in the batch would go out only after all of them had
 * been computed. Waiting for a macrotask turn (`setImmediate`) first lets each update run from
 * here to its first Bot API call without interruption: in a burst, the first answers go out
 * first, and no update's handling time includes the others' work. It costs a few microseconds.
 */
import type { MiddlewareFn } from "grammy";
import type { HotlineContext } from "../context.ts";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function takeTurn(): MiddlewareFn<HotlineContext> {
  return async (_ctx, next) => {
    await turn();
    await next();
  };
}
