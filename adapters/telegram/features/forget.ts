/**
 * /forget: deletes everything kept about the person (language, safety level, pending offer,
 * the case routing for staff replies) and says so. Messages are never kept in the first place.
 */
import { Composer } from "grammy";
import { logger } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { personPrefix } from "../session.ts";
import { caseIdOf, caseKey, closeCaseByPerson } from "./handoff.ts";

export function forgetFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("forget", async (ctx) => {
    ctx.session = {};
    await closeCaseByPerson(ctx, deps, ctx.from!.id, { tell: false }); // staff are told the case is closed
    const removed = await deps.store.deletePrefix(personPrefix(ctx.from!.id));
    const caseId = caseIdOf(deps, ctx.from!.id);
    const hadCase = (await deps.store.get(caseKey(caseId))) !== undefined;
    await deps.store.delete(caseKey(caseId));
    logger().info({ event: "forget", keys: removed + (hadCase ? 1 : 0) }, "person's data deleted");
    await ctx.reply(ctx.t("telegram.forget.done"));
  });
  return composer;
}
