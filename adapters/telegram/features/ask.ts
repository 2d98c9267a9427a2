/**
 * Text messages: triage first, then the cited answer.
 *
 * The safety reply (with the handoff offer in private chats) is sent before the answer is even
 * computed, so it goes out even if answering fails. In a group a disclosure gets only a short
 * note inviting the person to a private chat; nothing they wrote is repeated there.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { localeTag, safetyStartCode, type Answer } from "../../../src/index.ts";
import { logger } from "../../../src/index.ts";
import type { TriageResult } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import { handoffOn, type BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { hasTranslations, renderAnswer } from "../format/render.ts";
import { codeNumbers } from "../format/conversation.ts";
import { privateLinkKeyboard, sourcesKeyboard } from "../keyboards.ts";
import { isGroup } from "../middleware/audience.ts";
import { setLocale } from "../middleware/locale.ts";
import { sendHtml } from "../send.ts";
import { sourcesData } from "./sources-button.ts";
import { lookupCase, relayFromPerson, storeDownNote } from "./handoff.ts";
import { conversationOf, sendCheckIn, sendFirst, sendFollow } from "./conversation.ts";

export function askFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.on("message:text", async (ctx) => {
    const message = ctx.message;
    const text = withoutMention(message, ctx.me.username);
    refineLocale(ctx, deps, text);
    if (isGroup(ctx)) {
      await groupTurn(ctx, deps, text, message.message_id);
      return;
    }
    // While a case is open the person talks to staff: triage still runs first (an emergency
    // gets its numbers at once), then the message goes to the staff chat, not to the bot.
    const open = await lookupCase(ctx, deps);
    if (open && open !== "unreachable") {
      const triage = deps.core.triage(text, ctx.locale);
      if (triage.level === "emergency") await sendFirst(ctx, deps, triage, { replyTo: message.message_id });
      await relayFromPerson(ctx, deps, open, { text });
      return;
    }
    // Triage first, then the crisis context (src/conversation), then the ordinary answer.
    const turn = await conversationOf(deps.core).turn(text, { locale: ctx.locale, state: ctx.session.crisis, answer: false });
    if (turn.kind === "first") {
      await sendFirst(ctx, deps, turn.triage, { replyTo: message.message_id, state: turn.state });
      if (turn.triage.check) await sendCheckIn(ctx, turn.triage.check, false);
    } else if (turn.kind === "follow") {
      await sendFollow(ctx, turn, deps);
    } else {
      // The check-in question comes before the answer: if the person is in trouble, that matters more.
      if (turn.triage.check) await sendCheckIn(ctx, turn.triage.check, true);
      await answer(ctx, deps, () => deps.core.ask(text, { locale: ctx.locale, triage: turn.triage }), message.message_id);
    }
    // The shared store is down: if this was meant for an NGO worker, it did not reach them.
    if (open === "unreachable") await storeDownNote(ctx);
  });
  return composer;
}

/** Unless the person chose a language, each message is answered in the language it is written in. */
function refineLocale(ctx: HotlineContext, deps: BotDeps, text: string): void {
  if (ctx.localeChosen) return;
  const detection = deps.core.detect(text, ctx.locale);
  if (detection.supported) setLocale(ctx, deps.core, detection.locale, false);
}

/** The safety reply for a disclosure found outside a text message (a caption, an edit). */
export async function sendSafety(ctx: HotlineContext, deps: BotDeps, triage: TriageResult, replyTo: number): Promise<void> {
  await sendFirst(ctx, deps, triage, { replyTo });
}

/**
 * In a group the bot never singles a person out: general questions (including hypothetical
 * ones, "where to call if a job turns out to be a fraud?") are answered as usual; a personal
 * disclosure gets one neutral line with a private-chat link that opens straight on the safety
 * reply, and the suggestion to delete the group message. Nothing is kept about it.
 */
async function groupTurn(ctx: HotlineContext, deps: BotDeps, text: string, messageId: number): Promise<void> {
  const triage = deps.core.triage(text, ctx.locale);
  if (triage.level === "emergency" || triage.level === "trafficking") {
    await sendGroupSafety(ctx, triage);
    return;
  }
  await answer(ctx, deps, () => deps.core.ask(text, { locale: ctx.locale, triage }), messageId);
}

export async function sendGroupSafety(ctx: HotlineContext, triage: Pick<TriageResult, "level" | "indicators">): Promise<void> {
  const start = triage.level === "none" ? "help" : safetyStartCode(triage.level, triage.indicators);
  await sendHtml(ctx.api, ctx.chat!.id, [escapeHtml(ctx.t("conversation.group.personal"))], {
    keyboard: privateLinkKeyboard(ctx.t("conversation.group.open_private"), ctx.me.username, start),
  });
  logger().info({ event: "triage", triage_level: triage.level, chat: "group" }, "group disclosure redirected to a private chat");
}

/**
 * "Typing…" is shown only when an answer takes long enough to notice: most answers take about a
 * millisecond, and an extra Bot API call for each of them would cost more than the answer.
 */
export const TYPING_AFTER_MS = 250;

async function answer(ctx: HotlineContext, deps: BotDeps, compute: () => Promise<Answer>, messageId: number): Promise<void> {
  let typing: Promise<unknown> | undefined;
  const typingTimer = setTimeout(() => {
    typing = ctx.replyWithChatAction("typing").catch(() => undefined);
  }, TYPING_AFTER_MS);
  const started = performance.now();
  let parts: string[];
  let keyboard;
  try {
    const result = await compute();
    parts = renderAnswer(result, ctx.t).map(codeNumbers);
    // A passages answer in another language already quotes the translations: its button shows
    // the English originals. Otherwise the button shows the quoted passages.
    const original = result.kind === "passages" && hasTranslations(result);
    const data = sourcesData(deps.core, result.citations, { original, locale: result.locale });
    if (data) keyboard = sourcesKeyboard(ctx.t(original ? "telegram.sources.original_button" : "telegram.sources.button"), data);
    if (result.kind === "card" && handoffOn(deps) && ctx.chat?.type === "private") {
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
