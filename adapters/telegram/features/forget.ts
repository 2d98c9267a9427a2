/**
 * /forget: deletes everything kept about the person — session (language, safety level,
 * pending offer), rate-limit counter, the case routing for staff replies, their answers and
 * display name in every quiz, and the quizzes of their private chat — in the shared store, so
 * on every instance. It runs before the rate limiter (it always works). If the store cannot
 * delete right now, the person is told so instead of being told it is done.
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
    const userId = ctx.from!.id;
    ctx.session = {};
    try {
      await closeCaseByPerson(ctx, deps, userId, { tell: false, forget: true }); // staff are told the case is closed
      const removed = await deps.store.deletePrefix(personPrefix(userId));
      const caseId = caseIdOf(deps, userId);
      const hadCase = (await deps.store.get(caseKey(caseId))) !== undefined;
      await deps.store.delete(caseKey(caseId));
      await deps.store.deletePrefix(`${caseKey("relayed")}:${caseId}:`); // the relay's once-only marks
      const ownChats = ctx.chat?.type === "private" ? [`telegram:${ctx.chat.id}`] : [];
      const quizzes = deps.quiz ? await deps.quiz.forget(String(userId), ownChats) : 0;
      logger().info({ event: "forget", keys: removed + (hadCase ? 1 : 0), quizzes }, "person's data deleted");
    } catch (err) {
      logger().error({ event: "forget_failed", err: (err as Error).message.slice(0, 200) }, "could not delete the person's data");
      await ctx.reply(ctx.t("telegram.forget.failed"));
      return;
    }
    await ctx.reply(ctx.t("telegram.forget.done"));
  });
  return composer;
}
