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
import { Composer, GrammyError, InlineKeyboard, type Filter } from "grammy";
import { localeOf, parseLocale } from "../../../src/index.ts";
import { logger } from "../../../src/index.ts";
import { buildHandoffAlert, caseIdFor, renderHandoffAlert } from "../../../src/index.ts";
import { CaseBook, shortCaseCode, type CaseRecord } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import { handoffOn, slackRelay, type BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { packBlocks } from "../format/split.ts";
import { CALLBACK } from "../keyboards.ts";
import { sendHtml } from "../send.ts";

/** An offer can be accepted for a day; after that the person is asked to write again. */
export const OFFER_TTL_MS = 24 * 3600 * 1000;
const CASE_ID = /\bcase-[0-9a-f]{16}\b/;
/** Relays that fail after grammY's own retries (429, 5xx) are tried this many more times. */
const RELAY_ATTEMPTS = 3;

export function caseKey(caseId: string): string {
  return `tg:case:${caseId}`;
}

export function caseIdOf(deps: BotDeps, userId: number): string {
  return caseIdFor("telegram", userId, deps.caseSecret);
}

const books = new WeakMap<object, CaseBook>();
export function casesOf(deps: BotDeps): CaseBook {
  let b = books.get(deps.store);
  if (!b) books.set(deps.store, (b = new CaseBook(deps.store)));
  return b;
}

/** The person's open case, if any (private chats only). Throws when the shared store is down. */
export async function openCaseOf(ctx: HotlineContext, deps: BotDeps): Promise<CaseRecord | undefined> {
  if (!handoffOn(deps) || ctx.chat?.type !== "private" || !ctx.from) return undefined;
  return casesOf(deps).get(caseIdOf(deps, ctx.from.id));
}

/**
 * The person's open case, or "unreachable" when the shared store (Redis) is down and nobody
 * can tell: the caller answers as usual (triage first) and then says, with `storeDownNote`,
 * that a message meant for staff did not reach them.
 */
export async function lookupCase(ctx: HotlineContext, deps: BotDeps): Promise<CaseRecord | "unreachable" | undefined> {
  try {
    return await openCaseOf(ctx, deps);
  } catch (err) {
    logger().error({ event: "case_lookup_failed", err: (err as Error).name }, "the shared store is unreachable: cannot tell whether this person has an open case; they are told");
    return "unreachable";
  }
}

/** Chats told about a store outage, and when (at most one note per chat every 10 minutes). */
const storeDownNoted = new Map<number, number>();
const STORE_DOWN_NOTE_MS = 10 * 60 * 1000;

/** "If you are talking to an NGO worker, this message did not reach them" (during a store outage). */
export async function storeDownNote(ctx: HotlineContext): Promise<void> {
  const chat = ctx.chat?.id;
  if (chat === undefined) return;
  const now = Date.now();
  if (now - (storeDownNoted.get(chat) ?? 0) < STORE_DOWN_NOTE_MS) return;
  storeDownNoted.set(chat, now);
  if (storeDownNoted.size > 10_000) storeDownNoted.delete(storeDownNoted.keys().next().value!);
  await ctx.reply(ctx.t("conversation.case.store_down")).catch(() => undefined);
}

async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= RELAY_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/**
 * A message from the person while their case is open goes to the staff chat (the bot keeps no
 * copy). Text is relayed as it is, media as a "[photo]"-style notice. If the staff chat cannot
 * be reached the person is told. Each message is relayed once, even if Telegram delivers it twice.
 */
export async function relayFromPerson(ctx: HotlineContext, deps: BotDeps, record: CaseRecord, content: { text?: string; kind?: string }): Promise<void> {
  const messageId = ctx.msg?.message_id ?? 0;
  if (!(await casesOf(deps).claim(`${record.caseId}:${messageId}`))) return;
  const slack = slackRelay(deps);
  if (slack) {
    // To the Slack thread through the shared store: the Slack adapter delivers it (and tells
    // the person if it cannot). With no Slack instance delivering, or the store down or the
    // queue full, the person is told at once.
    try {
      if (!(await slack.toStaff.alive())) {
        logger().error({ event: "case_relay_failed", case_id: record.caseId, direction: "to_staff", reason: "no_slack_instance" }, "no Slack instance delivers cases from the shared store: the person is told their message did not reach staff");
        await ctx.reply(ctx.t("conversation.case.not_relayed")).catch(() => undefined);
        return;
      }
      await slack.toStaff.push({ type: "message", caseId: record.caseId, code: record.code, ...content });
      logger().info({ event: "case_relay", case_id: record.caseId, direction: "to_staff", via: "slack" }, "person's message queued for staff");
    } catch (err) {
      logger().error({ event: "case_relay_failed", case_id: record.caseId, direction: "to_staff", err: (err as Error).name }, "could not queue the message for staff");
      await ctx.reply(ctx.t("conversation.case.not_relayed")).catch(() => undefined);
    }
    return;
  }
  const body = content.text !== undefined ? escapeHtml(content.text) : `<i>[${escapeHtml(content.kind ?? "message")}]</i>`;
  try {
    const [sent] = await withRetries(() => sendHtml(ctx.api, deps.staffChatId!, [`📨 <b>${record.code}</b> (${record.caseId}):\n${body}`]));
    if (sent) await casesOf(deps).indexMessage(deps.staffChatId!, sent.message_id, record.caseId);
    logger().info({ event: "case_relay", case_id: record.caseId, direction: "to_staff" }, "person's message relayed");
  } catch (err) {
    logger().error({ event: "case_relay_failed", case_id: record.caseId, direction: "to_staff", err: (err as Error).name }, "could not relay to staff");
    await ctx.reply(ctx.t("conversation.case.not_relayed")).catch(() => undefined);
  }
}

/** Closes the person's case (by /stop, the button, or /forget) and tells staff. */
export async function closeCaseByPerson(ctx: HotlineContext, deps: BotDeps, userId: number, options: { tell?: boolean; forget?: boolean } = {}): Promise<boolean> {
  if (!handoffOn(deps)) return false;
  const record = await casesOf(deps).close(caseIdOf(deps, userId)); // throws while the shared store is down
  if (!record) return false;
  const slack = slackRelay(deps);
  if (slack) {
    await slack.toStaff
      .push({ type: "closed", caseId: record.caseId, code: record.code, by: options.forget ? "forget" : "person" })
      .catch((err: unknown) => logger().error({ event: "case_note_failed", case_id: record.caseId, err: (err as Error).name }, "could not tell staff the case is closed"));
  } else await sendHtml(ctx.api, deps.staffChatId!, [`🔒 <b>${record.code}</b> (${record.caseId}): the person closed this case. Replies no longer reach them.`]).catch((err: unknown) =>
    logger().error({ event: "case_note_failed", case_id: record.caseId, err: (err as Error).name }, "could not tell staff the case is closed"),
  );
  if (options.tell !== false) await ctx.reply(ctx.t("conversation.case.closed_by_person"));
  logger().info({ event: "case_closed", case_id: record.caseId, by: "person" }, "case closed");
  return true;
}

export function handoffFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();

  composer.callbackQuery(CALLBACK.handoff, async (ctx) => {
    const share = ctx.match[1] === "share";
    const pending = ctx.session.handoff;
    await ctx.answerCallbackQuery();
    if (ctx.chat?.type !== "private" || !handoffOn(deps)) return;
    const open = await lookupCase(ctx, deps);
    if (open === "unreachable") {
      await ctx.reply(ctx.t("conversation.case.unavailable"));
      return;
    }
    if (open) return; // already open: one case per person
    if (!pending || Date.now() - pending.at > OFFER_TTL_MS) {
      await ctx.reply(ctx.t("telegram.handoff.expired"));
      return;
    }
    let opened: Awaited<ReturnType<typeof openCase>>;
    try {
      opened = await openCase(ctx, deps, pending, share);
    } catch (err) {
      // Nobody could be reached (no Slack instance, the store down, the staff chat refusing): say so, keep the offer.
      const reason = err instanceof NoDelivererError ? "no_slack_instance" : err instanceof GrammyError ? "staff_chat_refused" : "store_unavailable";
      logger().error({ event: "handoff_failed", reason, err: (err as Error).name }, err instanceof NoDelivererError ? err.message : "could not open the case; the person is told nobody can be reached now");
      await ctx.reply(ctx.t("conversation.case.unavailable"));
      return;
    }
    ctx.session.handoff = undefined;
    const key = opened.shared ? "telegram.handoff.sent_shared" : share ? "telegram.handoff.sent_not_found" : "telegram.handoff.sent";
    await ctx.reply(ctx.t(key, { case: opened.caseId }));
    // Told once: a staff member reads this chat now, and how to stop it.
    await ctx.reply(ctx.t("conversation.case.open", { code: opened.code }), {
      reply_markup: new InlineKeyboard().text(ctx.t("conversation.case.close_button"), "case:close"),
    });
  });

  composer.callbackQuery(CALLBACK.closeCase, async (ctx) => {
    await ctx.answerCallbackQuery();
    await stopCase(ctx, deps, () => ctx.reply(ctx.t("conversation.case.none_open")).then(() => undefined));
  });
  composer.command("stop", async (ctx, next) => {
    if (ctx.chat.type !== "private") return next();
    await stopCase(ctx, deps, next);
  });

  // A staff member's reply to a case message, in the staff chat, goes to the person.
  composer.on("message").filter(
    (ctx) => deps.staffChatId !== undefined && isStaffChat(ctx, deps.staffChatId) && ctx.message.reply_to_message?.from?.id === ctx.me.id,
    (ctx) => relayFromStaff(ctx, deps),
  );
  return composer;
}

/** /stop or the button: closes the open case, or goes on (`none`) when there is none. */
async function stopCase(ctx: HotlineContext, deps: BotDeps, none: () => Promise<void>): Promise<void> {
  let closed: boolean;
  try {
    closed = await closeCaseByPerson(ctx, deps, ctx.from!.id);
  } catch (err) {
    logger().error({ event: "case_close_failed", err: (err as Error).name }, "could not close the case: the shared store is unreachable; the person is told");
    await ctx.reply(ctx.t("conversation.case.store_down"));
    return;
  }
  if (!closed) await none();
}

/** No instance delivers cases to Slack (Telegram on Redis without a Slack instance running). */
class NoDelivererError extends Error {
  override name = "NoDelivererError";
}

/** Opens the case (the Slack thread through the queue, or the alert in the staff chat); throws when nobody can be reached. */
async function openCase(ctx: HotlineContext, deps: BotDeps, pending: NonNullable<HotlineContext["session"]["handoff"]>, share: boolean): Promise<{ code: string; caseId: string; shared: boolean }> {
  const slack = slackRelay(deps);
  if (slack && !(await slack.toStaff.alive())) {
    throw new NoDelivererError(
      "no Slack instance delivers cases from the shared store (start the Slack adapter with SLACK_BOT_TOKEN and the same REDIS_URL, or set TELEGRAM_STAFF_CHAT_ID): the person was told nobody can be reached",
    );
  }
  const original = share ? ctx.callbackQuery?.message?.reply_to_message?.text : undefined;
  const alert = buildHandoffAlert({
    platform: "telegram",
    userId: ctx.from!.id,
    secret: deps.caseSecret,
    result: { level: pending.level, indicators: pending.indicators, locale: parseLocale(pending.locale) ?? localeOf("en") },
    consent: { handoff: true, shareMessage: share },
    ...(original !== undefined ? { message: original } : {}),
  })!;
  const code = shortCaseCode(alert.caseId);
  const book = casesOf(deps);
  const record: CaseRecord = { caseId: alert.caseId, code, chatId: ctx.chat!.id, locale: pending.locale, level: pending.level, indicators: pending.indicators, openedAt: Date.now() };
  if (slack) {
    // A thread per case in the Slack staff channel, opened by the Slack adapter.
    await book.open({ ...record, via: "slack" });
    try {
      await slack.toStaff.push({
        type: "open",
        caseId: alert.caseId,
        code,
        level: alert.level === "none" ? "at_risk" : alert.level,
        indicators: alert.indicators,
        locale: alert.language,
        platform: "telegram",
        ...(alert.message !== undefined ? { shared: alert.message } : {}),
      });
    } catch (err) {
      await book.close(alert.caseId).catch(() => undefined); // not a half-open case nobody sees
      throw err;
    }
  } else {
    const [sent] = await sendHtml(ctx.api, deps.staffChatId!, packBlocks([
      `<b>${code}</b>`,
      { text: renderHandoffAlert(alert) },
      "<i>Reply to this message (or to any message of this case) to write to the person through the bot; their messages arrive here while the case is open. Reply /close to close the case. Their account is never shown.</i>",
    ]));
    await book.open(record);
    if (sent) await book.indexMessage(deps.staffChatId!, sent.message_id, alert.caseId);
  }
  logger().info({ event: "handoff", case_id: alert.caseId, triage_level: alert.level, shared: alert.message !== undefined, via: slack ? "slack" : "telegram" }, "handoff alert sent to staff");
  return { code, caseId: alert.caseId, shared: alert.message !== undefined };
}

function isStaffChat(ctx: HotlineContext, staffChatId: string): boolean {
  const chat = ctx.chat;
  if (!chat) return false;
  if (staffChatId.startsWith("@")) return "username" in chat && `@${chat.username}`.toLowerCase() === staffChatId.toLowerCase();
  return String(chat.id) === staffChatId;
}

async function relayFromStaff(ctx: Filter<HotlineContext, "message">, deps: BotDeps): Promise<void> {
  const reply = ctx.message.reply_to_message!;
  const book = casesOf(deps);
  const replyHere = { reply_parameters: { message_id: ctx.message.message_id } };
  let caseId: string | undefined;
  let target: CaseRecord | undefined;
  try {
    caseId = (await book.caseOfMessage(deps.staffChatId!, reply.message_id)) ?? CASE_ID.exec(reply.text ?? "")?.[0];
    if (!caseId) return;
    target = await book.get(caseId);
  } catch (err) {
    // Redis is down: nobody can tell which case this is or where it goes. Say that nothing went.
    logger().error({ event: "case_lookup_failed", err: (err as Error).name }, "the shared store is unreachable: a staff reply could not be matched to a case");
    await ctx.reply("⚠️ Not sent: the bot cannot reach its shared store (REDIS_URL) right now, so replies cannot reach the person. Nothing was sent; please try again in a few minutes.", replyHere);
    return;
  }
  const code = shortCaseCode(caseId);
  if (!target) {
    await ctx.reply(`Case ${code} (${caseId}) is closed: the person closed it or deleted their data, or 30 days have passed. Nothing was sent.`, replyHere);
    return;
  }
  const locale = parseLocale(target.locale) ?? localeOf("en");
  const text = ctx.message.text ?? ctx.message.caption;
  if (text?.trim() === "/close" || text?.trim().startsWith("/close@")) {
    await book.close(caseId);
    await sendHtml(ctx.api, target.chatId, [escapeHtml(deps.core.t(locale, "conversation.case.closed_by_staff"))]).catch(() => undefined);
    await ctx.reply(`Case ${code} closed. The person was told.`, replyHere);
    logger().info({ event: "case_closed", case_id: caseId, by: "staff" }, "case closed");
    return;
  }
  // Files are never passed on, only text (a caption goes, the file does not); staff are told.
  const file = ["photo", "document", "video", "voice", "audio", "video_note", "sticker", "animation"].some((k) => k in ctx.message);
  if (text === undefined) {
    await ctx.reply(`Only text can be relayed to ${code}: files are never passed on (a file can identify you or the person, and it would stay on their phone). Describe it in words, or send a link.`, replyHere);
    return;
  }
  try {
    await withRetries(() => sendHtml(ctx.api, target.chatId, packBlocks([`🤝 <b>${escapeHtml(deps.core.t(locale, "conversation.case.from_staff"))}</b>`, { text }])));
  } catch (err) {
    logger().error({ event: "case_relay_failed", case_id: caseId, direction: "to_person", err: (err as Error).name }, "could not relay to the person");
    await ctx.reply(`Could not deliver to ${code} after ${RELAY_ATTEMPTS} attempts (${err instanceof GrammyError ? err.description : "network error"}). Please try again.`, replyHere);
    return;
  }
  const delivered = file ? `Delivered to ${code} (${caseId}): the text only; the file was not passed on (files never are).` : `Delivered to ${code} (${caseId}).`;
  const [note] = await withRetries(() => sendHtml(ctx.api, deps.staffChatId!, [escapeHtml(delivered)], { replyTo: ctx.message.message_id }));
  if (note) await book.indexMessage(deps.staffChatId!, note.message_id, caseId);
  logger().info({ event: "case_relay", case_id: caseId, direction: "to_person" }, "staff message relayed");
}
