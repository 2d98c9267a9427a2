/**
 * Consent flow for the NGO handoff. After a disclosure the safety reply offers two buttons:
 * "ask an NGO worker to contact me" and the same "and share my message". Only a press sends an
 * alert to the staff chat (built by src/triage/handoff.ts): pseudonymous case id, level,
 * indicators, language; the message text only on "share", read back from the message the
 * offer replied to (the bot never keeps it). Never the user id, name or username.
 *
 * Staff answer by replying to the alert in the staff chat; the bot relays that reply to the
 * person. The case → chat mapping is the only thing kept for it, and /forget deletes it.
 */
import { Composer, type Filter } from "grammy";
import { localeOf, parseLocale } from "../../../src/index.ts";
import { logger } from "../../../src/index.ts";
import { buildHandoffAlert, caseIdFor, renderHandoffAlert } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { packBlocks } from "../format/split.ts";
import { CALLBACK } from "../keyboards.ts";
import { sendHtml } from "../send.ts";

/** An offer can be accepted for a day; after that the person is asked to write again. */
const OFFER_TTL_MS = 24 * 3600 * 1000;
/** Staff can write to the person through the bot for 30 days after the request. */
const CASE_TTL_SECONDS = 30 * 24 * 3600;
const CASE_ID = /\bcase-[0-9a-f]{16}\b/;

/** Where staff replies for a case go. Deleted by /forget. */
interface CaseRecord {
  chatId: number;
  locale: string;
}

export function caseKey(caseId: string): string {
  return `tg:case:${caseId}`;
}

export function caseIdOf(deps: BotDeps, userId: number): string {
  return caseIdFor("telegram", userId, deps.caseSecret);
}

export function handoffFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();

  composer.callbackQuery(CALLBACK.handoff, async (ctx) => {
    const share = ctx.match[1] === "share";
    const pending = ctx.session.handoff;
    await ctx.answerCallbackQuery();
    if (ctx.chat?.type !== "private" || deps.staffChatId === undefined) return;
    if (!pending || Date.now() - pending.at > OFFER_TTL_MS) {
      await ctx.reply(ctx.t("telegram.handoff.expired"));
      return;
    }
    const original = share ? ctx.callbackQuery.message?.reply_to_message?.text : undefined;
    const alert = buildHandoffAlert({
      platform: "telegram",
      userId: ctx.from.id,
      secret: deps.caseSecret,
      result: { level: pending.level, indicators: pending.indicators, locale: parseLocale(pending.locale) ?? localeOf("en") },
      consent: { handoff: true, shareMessage: share },
      ...(original !== undefined ? { message: original } : {}),
    })!;

    await sendHtml(ctx.api, deps.staffChatId, packBlocks([
      { text: renderHandoffAlert(alert) },
      "<i>Reply to this message to write to the person through the bot. Their account is never shown.</i>",
    ]));
    await deps.store.set<CaseRecord>(caseKey(alert.caseId), { chatId: ctx.chat.id, locale: pending.locale }, CASE_TTL_SECONDS);
    ctx.session.handoff = undefined;
    logger().info({ event: "handoff", caseId: alert.caseId, level: alert.level, shared: alert.message !== undefined }, "handoff alert sent to staff");
    const key = alert.message !== undefined ? "telegram.handoff.sent_shared" : share ? "telegram.handoff.sent_not_found" : "telegram.handoff.sent";
    await ctx.reply(ctx.t(key, { case: alert.caseId }));
  });

  // A staff member's reply to an alert, in the staff chat, goes to the person.
  composer.on("message:text").filter(
    (ctx) => deps.staffChatId !== undefined && isStaffChat(ctx, deps.staffChatId) && ctx.message.reply_to_message?.from?.id === ctx.me.id,
    (ctx) => relayFromStaff(ctx, deps),
  );
  return composer;
}

function isStaffChat(ctx: HotlineContext, staffChatId: string): boolean {
  const chat = ctx.chat;
  if (!chat) return false;
  if (staffChatId.startsWith("@")) return "username" in chat && `@${chat.username}`.toLowerCase() === staffChatId.toLowerCase();
  return String(chat.id) === staffChatId;
}

async function relayFromStaff(ctx: Filter<HotlineContext, "message:text">, deps: BotDeps): Promise<void> {
  const caseId = CASE_ID.exec(ctx.message.reply_to_message?.text ?? "")?.[0];
  if (!caseId) return;
  const replyHere = { reply_parameters: { message_id: ctx.message.message_id } };
  const target = await deps.store.get<CaseRecord>(caseKey(caseId));
  if (!target) {
    await ctx.reply(`Case ${caseId} is closed: the person deleted their data, or 30 days have passed.`, replyHere);
    return;
  }
  const locale = parseLocale(target.locale) ?? localeOf("en");
  await sendHtml(ctx.api, target.chatId, packBlocks([`🤝 <b>${escapeHtml(deps.core.t(locale, "telegram.handoff.from_staff"))}</b>`, { text: ctx.message.text }]));
  await ctx.reply(`Delivered to ${caseId}.`, replyHere);
  logger().info({ event: "handoff_relay", caseId }, "staff message relayed");
}
