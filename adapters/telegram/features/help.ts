/** /help: what the bot does and its commands, with the safety line. */
import { Composer } from "grammy";
import type { HotlineContext } from "../context.ts";
import { escapeHtml } from "../format/html.ts";
import { sendHtml } from "../send.ts";

export function helpFeature(): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("help", async (ctx) => {
    const html = [escapeHtml(ctx.t("telegram.help.body")), `<b>${escapeHtml(ctx.t("telegram.safety_line"))}</b>`].join("\n\n");
    await sendHtml(ctx.api, ctx.chat.id, [html]);
  });
  return composer;
}
