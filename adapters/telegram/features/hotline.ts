/**
 * /hotline: where to get help, for the person's situation: the contacts for the most urgent
 * level seen in this conversation, or the general ones, always with 112.
 */
import { Composer } from "grammy";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { sendHtml } from "../send.ts";
import { contactsBlock } from "../format/render.ts";

export function hotlineFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("hotline", async (ctx) => {
    const level = ctx.session.level && ctx.session.level !== "none" ? ctx.session.level : "at_risk";
    // Only contacts the person can reach: an organisation without a verified number is left out.
    const contacts = deps.contacts.byLevel[level].filter((c) => c.phone);
    const emergency = deps.contacts.byLevel.emergency[0];
    if (emergency && !contacts.includes(emergency)) contacts.push(emergency);
    const html = [`<b>${escapeHtml(ctx.t("telegram.hotline.heading"))}</b>`, contactsBlock(contacts, ctx.locale), escapeHtml(ctx.t("telegram.hotline.footer"))].join("\n\n");
    await sendHtml(ctx.api, ctx.chat.id, [html]);
  });
  return composer;
}
