/**
 * The conversation after a disclosure on Telegram (the logic is in src/conversation/):
 *
 * - the short first reply, one message, with "What can I do?" (the guidance card), "More
 *   contacts", the handoff offer once per disclosure, and "Check my situation";
 * - follow-ups in the crisis state, with one question at a time as Yes / No buttons;
 * - the model's check-in question (Yes → the fixed route's safety reply, No → a kind word);
 * - the guided check (`/check` or the button), one question at a time, `/stop` ends it; only the
 *   step and the ids answered "yes" are kept in the session, never text;
 * - `/start s-…` from a group's private-chat link: straight to the safety reply.
 *
 * Buttons never remove each other: a press answers in a new message and leaves the keyboard.
 */
import { Composer, InlineKeyboard } from "grammy";
import { Conversation, isOpen, stateLocale, localeTag, logger, parseSafetyStartCode, type ConversationTurn, type Level, type TriageResult } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import { handoffOn, type BotDeps } from "../deps.ts";
import { codeNumbers, renderContacts, renderFirst, renderFollow } from "../format/conversation.ts";
import { escapeHtml } from "../format/html.ts";
import { renderAnswer } from "../format/render.ts";
import { CALLBACK, yesNoKeyboard } from "../keyboards.ts";
import { sendHtml } from "../send.ts";
import { setLocale } from "../middleware/locale.ts";
import { OFFER_TTL_MS } from "./handoff.ts";

const conversations = new WeakMap<BotCore, Conversation>();

export function conversationOf(core: BotCore): Conversation {
  let c = conversations.get(core);
  if (!c) conversations.set(core, (c = new Conversation(core)));
  return c;
}

/** The card shown for "What can I do?" when the indicators point to none. */
const GENERAL_CARD = "calling-the-hotline";

/**
 * The first reply for a disclosure (or a confirmed check, or a guided check's result): one
 * message; opens or refreshes the crisis state.
 */
export async function sendFirst(
  ctx: HotlineContext,
  deps: BotDeps,
  triage: Pick<TriageResult, "level" | "indicators" | "contacts">,
  options: { replyTo?: number; state?: ConversationTurn["state"] } = {},
): Promise<void> {
  if (triage.level === "none") return;
  const conversation = conversationOf(deps.core);
  const state = options.state ?? openState(ctx, triage.level, triage.indicators);
  const first = conversation.firstReply(triage, ctx.locale);
  const keyboard = new InlineKeyboard().text(ctx.t("conversation.buttons.what_can_i_do"), "cv:card").text(ctx.t("conversation.buttons.more_contacts"), "cv:more");
  const private_ = ctx.chat?.type === "private";
  if (private_ && handoffOn(deps) && !state.offered) {
    // One handoff offer per disclosure.
    state.offered = true;
    ctx.session.handoff = { level: triage.level, indicators: triage.indicators, locale: localeTag(ctx.locale), at: Date.now() };
    keyboard.row().text(ctx.t("telegram.handoff.offer"), "ho:plain").row().text(ctx.t("telegram.handoff.offer_share"), "ho:share");
  }
  if (private_) keyboard.row().text(ctx.t("check.button"), "ck:start");
  ctx.session.crisis = state;
  ctx.session.level = triage.level;
  // Replying to the disclosure lets "share my message" find the text in Telegram later.
  await sendHtml(ctx.api, ctx.chat!.id, [renderFirst(first, ctx.locale)], { keyboard, safety: true, ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}) });
  logger().info({ event: "triage", triage_level: triage.level, indicators: triage.indicators, lang: ctx.locale.lang }, "safety reply sent");
}

function openState(ctx: HotlineContext, level: Exclude<Level, "none">, indicators: string[]): NonNullable<ConversationTurn["state"]> {
  const previous = isOpen(ctx.session.crisis) ? ctx.session.crisis : undefined;
  const merged = [...new Set([...(previous?.indicators ?? []), ...indicators])];
  return { level, indicators: merged, locale: localeTag(ctx.locale), at: Date.now(), asked: previous?.asked ?? [], ...(previous?.offered ? { offered: true } : {}) };
}

/**
 * A follow-up in the crisis state: the short text, the question (Yes / No), then a card if one
 * answers. A message that discloses again (triage flags it) after the earlier offer was used
 * (a case that has closed since) carries the handoff offer again: still one live offer at a time.
 */
export async function sendFollow(ctx: HotlineContext, turn: Extract<ConversationTurn, { kind: "follow" }>, deps?: BotDeps): Promise<void> {
  ctx.session.crisis = turn.state;
  let keyboard = turn.question ? yesNoKeyboard(ctx.t("conversation.buttons.yes"), ctx.t("conversation.buttons.no"), `cq:${turn.question.id}`) : undefined;
  const offerLive = ctx.session.handoff !== undefined && Date.now() - ctx.session.handoff.at < OFFER_TTL_MS;
  if (deps && handoffOn(deps) && ctx.chat?.type === "private" && turn.triage.level !== "none" && !offerLive) {
    ctx.session.handoff = { level: turn.state.level, indicators: turn.state.indicators, locale: localeTag(ctx.locale), at: Date.now() };
    keyboard = (keyboard ?? new InlineKeyboard()).row().text(ctx.t("telegram.handoff.offer"), "ho:plain").row().text(ctx.t("telegram.handoff.offer_share"), "ho:share");
  }
  await sendHtml(ctx.api, ctx.chat!.id, [renderFollow(turn.follow, turn.question?.text)], { safety: true, ...(keyboard ? { keyboard } : {}) });
  if (turn.answer) await sendHtml(ctx.api, ctx.chat!.id, renderAnswer(turn.answer, ctx.t).map(codeNumbers));
  logger().info({ event: "follow_up", topic: turn.follow.topic, triage_level: turn.state.level, lang: ctx.locale.lang }, "crisis follow-up answered");
}

/** The model's check-in: one gentle Yes / No question. */
export async function sendCheckIn(ctx: HotlineContext, check: NonNullable<TriageResult["check"]>, alone: boolean): Promise<void> {
  const html = [alone ? escapeHtml(ctx.t("check.checkin_intro")) : "", `<b>${escapeHtml(check.text)}</b>`].filter(Boolean).join("\n\n");
  await sendHtml(ctx.api, ctx.chat!.id, [html], { keyboard: yesNoKeyboard(ctx.t("check.yes"), ctx.t("check.no"), `ci:${check.question}`) });
}

export function conversationFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  const core = deps.core;
  const conversation = conversationOf(core);

  // A button press is answered in the conversation's language (the app's may differ).
  composer.on("callback_query", async (ctx, next) => {
    const state = ctx.session.crisis;
    if (!ctx.localeChosen && isOpen(state)) setLocale(ctx, core, stateLocale(state), false);
    await next();
  });

  // A group's private-chat link: /start s-<level><indicators> → the safety reply at once.
  composer.command("start", async (ctx, next) => {
    const code = parseSafetyStartCode(ctx.match.trim());
    if (!code || ctx.chat.type !== "private") return next();
    const route = core.route(code.level, code.indicators, ctx.locale);
    await sendFirst(ctx, deps, route ?? { level: code.level, indicators: code.indicators, contacts: [] });
  });

  composer.callbackQuery(CALLBACK.conversation, async (ctx) => {
    await ctx.answerCallbackQuery();
    const state = isOpen(ctx.session.crisis) ? ctx.session.crisis : undefined;
    const level = state?.level ?? (ctx.session.level && ctx.session.level !== "none" ? ctx.session.level : "at_risk");
    const indicators = state?.indicators ?? [];
    if (ctx.match[1] === "more") {
      const contacts = conversation.moreContacts(level, indicators, ctx.locale);
      await sendHtml(ctx.api, ctx.chat!.id, [renderContacts(ctx.t("conversation.more_contacts"), contacts, ctx.locale)]);
      return;
    }
    const answer = (await core.ask("", { locale: ctx.locale, triage: { level, indicators } })) ?? undefined;
    const card = answer?.kind === "card" ? answer : core.card(GENERAL_CARD, ctx.locale);
    if (card) await sendHtml(ctx.api, ctx.chat!.id, renderAnswer(card, ctx.t).map(codeNumbers));
  });

  composer.callbackQuery(CALLBACK.question, async (ctx) => {
    await ctx.answerCallbackQuery();
    const state = ctx.session.crisis;
    if (!isOpen(state)) return;
    const { state: next, follow } = conversation.answerQuestion(state, ctx.match[1]!, ctx.match[2] === "y", ctx.locale);
    ctx.session.crisis = next;
    await sendHtml(ctx.api, ctx.chat!.id, [renderFollow(follow)]);
  });

  composer.callbackQuery(CALLBACK.checkIn, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (ctx.match[2] === "n") {
      await sendHtml(ctx.api, ctx.chat!.id, [codeNumbers(escapeHtml(ctx.t("conversation.follow.acknowledge")))]);
      return;
    }
    const result = core.confirmCheck(ctx.match[1]!, ctx.locale);
    if (result && result.level !== "none") await sendFirst(ctx, deps, result);
    else await sendHtml(ctx.api, ctx.chat!.id, [codeNumbers(escapeHtml(ctx.t("check.result_none")))]);
  });

  const startCheck = async (ctx: HotlineContext) => {
    const order = core.guidedCheckQuestions();
    if (order.length === 0 || ctx.chat?.type !== "private") return;
    ctx.session.check = { step: 0, yes: [] };
    await sendHtml(ctx.api, ctx.chat.id, [escapeHtml(ctx.t("check.intro"))]);
    await askCheckQuestion(ctx, core, order[0]!, 0, order.length);
  };
  composer.command("check", (ctx) => startCheck(ctx));
  composer.callbackQuery(/^ck:start$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await startCheck(ctx);
  });
  composer.callbackQuery(/^ck:([yn])$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const state = ctx.session.check;
    if (!state) return;
    const step = core.guidedCheckStep(state, ctx.match[1] === "y", ctx.locale);
    if (step.next !== undefined) {
      ctx.session.check = step.state;
      await askCheckQuestion(ctx, core, step.next, step.state.step, core.guidedCheckQuestions().length);
      return;
    }
    ctx.session.check = undefined;
    const result = step.result!;
    if (result.level === "none") await sendHtml(ctx.api, ctx.chat!.id, [codeNumbers(escapeHtml(ctx.t("check.result_none")))]);
    else await sendFirst(ctx, deps, result);
  });
  // /stop ends a guided check; with no check running it goes on (the case feature closes a case).
  composer.command("stop", async (ctx, next) => {
    if (!ctx.session.check) return next();
    ctx.session.check = undefined;
    await sendHtml(ctx.api, ctx.chat.id, [codeNumbers(escapeHtml(ctx.t("check.stopped")))]);
  });
  return composer;
}

async function askCheckQuestion(ctx: HotlineContext, core: BotCore, id: string, step: number, total: number): Promise<void> {
  const html = `<i>${escapeHtml(ctx.t("check.progress", { n: step + 1, total }))}</i>\n<b>${escapeHtml(core.checkQuestionText(id, ctx.locale))}</b>`;
  await sendHtml(ctx.api, ctx.chat!.id, [html], { keyboard: yesNoKeyboard(ctx.t("check.yes"), ctx.t("check.no"), "ck") });
}
