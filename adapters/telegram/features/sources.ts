/** /sources: the reports the bot answers from, with their dates. */
import { Composer } from "grammy";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { packBlocks } from "../format/split.ts";
import { sendHtml } from "../send.ts";

export function sourcesFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("sources", async (ctx) => {
    const lines = deps.core.documents().map(
      (d) => `• <b>${escapeHtml(d.title)}</b>\n  ${escapeHtml(d.publisher)}, ${escapeHtml(d.date)} — ${escapeHtml(ctx.t("telegram.sources.covers", { covers: d.covers }))}`,
    );
    await sendHtml(ctx.api, ctx.chat.id, packBlocks([`<b>${escapeHtml(ctx.t("telegram.sources.heading"))}</b>`, ...lines, escapeHtml(ctx.t("telegram.sources.translations_note"))], undefined, "\n\n"));
  });
  return composer;
}
