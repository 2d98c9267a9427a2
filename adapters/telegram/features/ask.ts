/**
 * Text messages: triage first, then the cited answer.
 *
 * The safety reply (with the handoff offer in private chats) is sent before the answer is even
 * computed, so it goes out even if answering fails. In a group a disclosure gets only a short
 * note inviting the person to a private chat; nothing they wrote is repeated there.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { localeTag } from "../../../src/index.ts";
import { logger } from "../../../src/index.ts";
import type { TriageResult } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { hasTranslations, renderAnswer, renderSafety } from "../format/render.ts";
import { handoffKeyboard, privateChatKeyboard, sourcesKeyboard } from "../keyboards.ts";
import { isGroup } from "../middleware/audience.ts";
import { setLocale } from "../middleware/locale.ts";
import { sendHtml } from "../send.ts";
import { sourcesData } from "./sources-button.ts";

export function askFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.on("message:text", async (ctx) => {
    const message = ctx.message;
    const text = withoutMention(message, ctx.me.username);
    refineLocale(ctx, deps, text);

    const triage = deps.core.triage(text, ctx.locale);
    if (triage.level !== "none") {
      ctx.session.level = triage.level;
      if (isGroup(ctx)) {
        await sendGroupSafety(ctx);
        return; // the answer could echo the disclosure's subject; it is given in private
      }
      await sendSafety(ctx, deps, triage, message.message_id);
    }
    await answer(ctx, deps, text, message.message_id, triage);
  });
  return composer;
}

/** Unless the person chose a language, each message is answered in the language it is written in. */
function refineLocale(ctx: HotlineContext, deps: BotDeps, text: string): void {
  if (ctx.localeChosen) return;
  const detection = deps.core.detect(text, ctx.locale);
  if (detection.supported) setLocale(ctx, deps.core, detection.locale, false);
}

export async function sendSafety(ctx: HotlineContext, deps: BotDeps, triage: TriageResult, replyTo: number): Promise<void> {
  const parts = renderSafety(triage);
  const offer = deps.staffChatId !== undefined && ctx.chat?.type === "private";
  if (offer) {
    ctx.session.handoff = { level: triage.level, indicators: triage.indicators, locale: localeTag(ctx.locale), at: Date.now() };
  }
  const keyboard = offer ? handoffKeyboard(ctx.t("telegram.handoff.offer"), ctx.t("telegram.handoff.offer_share")) : undefined;
  // Replying to the disclosure lets "share my message" find the text in Telegram later,
  // so the bot never has to keep it.
  await sendHtml(ctx.api, ctx.chat!.id, parts, { replyTo, safety: true, ...(keyboard ? { keyboard } : {}) });
  logger().info({ event: "triage", triage_level: triage.level, indicators: triage.indicators, lang: ctx.locale.lang }, "safety reply sent");
}

async function sendGroupSafety(ctx: HotlineContext): Promise<void> {
  await sendHtml(ctx.api, ctx.chat!.id, [escapeHtml(ctx.t("telegram.group.private_please"))], {
    keyboard: privateChatKeyboard(ctx.t("telegram.group.open_private"), ctx.me.username),
  });
  logger().info({ event: "triage", triage_level: ctx.session.level, chat: "group" }, "group disclosure redirected to a private chat");
}

/**
 * "Typing…" is shown only when an answer takes long enough to notice: most answers take about a
 * millisecond, and an extra Bot API call for each of them would cost more than the answer.
 */
export const TYPING_AFTER_MS = 250;

async function answer(ctx: HotlineContext, deps: BotDeps, text: string, messageId: number, triage?: TriageResult): Promise<void> {
  let typing: Promise<unknown> | undefined;
  const typingTimer = setTimeout(() => {
    typing = ctx.replyWithChatAction("typing").catch(() => undefined);
  }, TYPING_AFTER_MS);
  const started = performance.now();
  let parts: string[];
  let keyboard;
  try {
    const result = await deps.core.ask(text, { locale: ctx.locale, ...(triage ? { triage } : {}) });
    parts = renderAnswer(result, ctx.t);
    // A passages answer in another language already quotes the translations: its button shows
    // the English originals. Otherwise the button shows the quoted passages.
    const original = result.kind === "passages" && hasTranslations(result);
    const data = sourcesData(deps.core, result.citations, { original, locale: result.locale });
    if (data) keyboard = sourcesKeyboard(ctx.t(original ? "telegram.sources.original_button" : "telegram.sources.button"), data);
    if (result.kind === "card" && deps.staffChatId !== undefined && ctx.chat?.type === "private") {
      // "Talk to someone" under a guidance card: the same consent handoff as after a disclosure.
      const level = ctx.session.level && ctx.session.level !== "none" ? ctx.session.level : "at_risk";
      ctx.session.handoff ??= { level, indicators: [], locale: localeTag(ctx.locale), at: Date.now() };
      keyboard = (keyboard ?? new InlineKeyboard()).row().text(ctx.t("cards.talk_button"), "ho:plain");
    }
    logger().debug({ event: "answer", kind: result.kind, citations: result.citations.length, lang: ctx.locale.lang, ms: Math.round(performance.now() - started) }, "answered");
  } catch (err) {
    logger().error({ event: "answer_failed", err: (err as Error).message }, "answering failed");
    parts = [escapeHtml(ctx.t("answers.error"))];
  }
  clearTimeout(typingTimer);
  await typing; // so that "typing…" never arrives after the answer
  await sendHtml(ctx.api, ctx.chat!.id, parts, { ...(keyboard ? { keyboard } : {}), ...(isGroup(ctx) ? { replyTo: messageId } : {}) });
}

/** In groups people write "@hotline_bot where can I get help?"; the mention is not the question. */
function withoutMention(message: Message, username: string): string {
  const me = `@${username}`.toLowerCase();
  let text = message.text ?? "";
  for (const e of [...(message.entities ?? [])].reverse()) {
    if (e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === me) {
      text = text.slice(0, e.offset) + text.slice(e.offset + e.length);
    }
  }
  return text.trim();
}
