/**
 * The Slack end of the two-way handoff (SLACK_STAFF_CHANNEL): a person on Telegram agreed to
 * talk to a staff member, and the case opens as a thread in the staff channel.
 *
 * - The Telegram adapter (this process or another one on the same Redis) queues the case and
 *   the person's messages (src/conversation/relay.ts); this adapter posts them: the case's root
 *   message (short case id such as `K7-4QX`, level, indicators, language, a Close button),
 *   then each message of the person in its thread, a "[photo]"-style notice for media.
 * - A staff reply in the thread is queued for the person (the Telegram adapter delivers it and
 *   marks it ✅ here, or says in the thread why it could not).
 * - `close` in the thread, or the Close button, closes the case; the person is told.
 * - A reply in the thread of a closed or unknown case gets a note saying it was not sent.
 * - Slack errors are retried (web-api.ts); a message that still cannot be posted is reported to
 *   the person ("I could not pass your message…"), never dropped silently.
 * - Files staff share in a thread are never passed on, only text; staff get a note saying so.
 * - While the shared store (Redis) is down, or no Telegram instance delivers, or the queue is
 *   full, a reply in a case thread gets a note that nothing was sent.
 *
 * Only routing is kept (case id ↔ thread); relayed text is forwarded, never stored.
 */
import type { App, BlockButtonAction, webApi } from "@slack/bolt";
import { CaseBook, caseRelays, shortCaseCode, type CaseRecord, type RelayOutcome, type RelayRunner, type StaffThread, type ToStaff } from "../../../src/index.ts";
import { renderHandoffAlert } from "../../../src/index.ts";
import { actions, button, context, section } from "../blocks/kit.ts";
import { DEDUPE_TTL_SECONDS, type SlackDeps } from "../deps.ts";
import { escape, toPlain } from "../mrkdwn.ts";
import { isTransient, slackErrorCode, withRetry } from "../web-api.ts";

export const CASE_CLOSE_ACTION = "hotline_case_close";
const CLOSE = /^\s*[/!]?(close|закрыть)\s*$/i;

function bookOf(deps: SlackDeps): CaseBook {
  return new CaseBook(deps.store);
}

/** Staff-side texts (staff read English, like the other staff views). */
const TEXT = {
  closedNote: (code: string) => `Case ${code} is closed (the person or staff closed it, the person deleted their data, or 30 days passed). Nothing was sent.`,
  closedByPerson: (code: string) => `🔒 Case ${code}: the person closed the conversation. Replies here no longer reach them.`,
  closedByForget: (code: string) => `🔒 Case ${code}: the person deleted their data (/forget), which closed the case. Replies here no longer reach them.`,
  closedByStaff: (code: string, who?: string) => `🔒 Case ${code} closed${who ? ` by <@${who}>` : ""}. The person is told that the conversation is over.`,
  onlyText: (code: string) => `Only text can be relayed to ${code}: describe the file in words, or send a link.`,
  filesOnly: (code: string) =>
    `Not sent: files are not passed on to ${code}, only text (a file can identify you or the person, and it would stay on their phone). Describe it in words, or send a link.`,
  filesWithText: (code: string) => `Your text goes to ${code}; the attached file does not (files are never passed on, only text).`,
  storeDown: "⚠️ Not sent: the bot cannot reach its shared store (REDIS_URL) right now, so replies in case threads cannot reach the person. Nothing was sent; please try again in a few minutes.",
  noDeliverer: (code: string) =>
    `⚠️ Not sent to ${code}: no Telegram instance of the bot is delivering right now (it is stopped, or not on the same REDIS_URL). Nothing was sent; please try again later.`,
  notQueued: (code: string) => `⚠️ Not sent to ${code}: the reply could not be queued (the shared store is unreachable, or too many replies wait). Please try again in a few minutes.`,
  closedNotTold: (code: string) => `🔒 Case ${code} is closed, but the person could not be told just now (the shared store is unreachable).`,
};

export function registerCases(app: App, deps: SlackDeps): void {
  if (!deps.config.SLACK_STAFF_CHANNEL) return;

  // A staff message in a case's thread.
  app.event("message", async ({ event, client }) => {
    if ("bot_id" in event && event.bot_id) return;
    if (event.subtype !== undefined && event.subtype !== "file_share") return; // edits, joins, bot posts
    const threadTs = "thread_ts" in event ? event.thread_ts : undefined;
    if (!threadTs || threadTs === event.ts) return;
    const book = bookOf(deps);
    const thread = { channel: event.channel, ts: threadTs };
    let caseId: string | undefined;
    let record: CaseRecord | undefined;
    let current: StaffThread | undefined;
    try {
      caseId = await book.caseOfMessage(event.channel, threadTs);
      if (!caseId) return; // not a case thread
      [record, current] = await Promise.all([book.get(caseId), book.threadOf(caseId)]);
    } catch (err) {
      // Redis is down: nobody can tell which case this is. In the staff channel, say that nothing went.
      deps.log.error({ event: "case_lookup_failed", err: (err as Error).name }, "the shared store is unreachable: a reply in a thread could not be matched to a case");
      if (event.channel === deps.config.SLACK_STAFF_CHANNEL) await post(deps, client, thread, TEXT.storeDown);
      return;
    }
    if (!(await deps.store.setIfAbsent(`slack:case-msg:${event.channel}:${event.ts}`, 1, DEDUPE_TTL_SECONDS))) return; // delivered twice
    const code = record?.code ?? shortCaseCode(caseId);
    // An older thread of the same person (a case closed before this one opened) is closed too.
    if (!record || record.via !== "slack" || current?.ts !== threadTs) {
      await post(deps, client, thread, TEXT.closedNote(code));
      return;
    }
    const text = toPlain("text" in event ? event.text : "");
    const user = "user" in event ? event.user : undefined;
    if (CLOSE.test(text)) {
      await closeByStaff(deps, client, record, thread, user);
      return;
    }
    // Files are never passed on (only text): a file can identify staff or the person, and it
    // would stay on the person's phone. Staff are told either way.
    const files = "files" in event && Array.isArray(event.files) ? event.files.length : 0;
    if (!text) {
      await post(deps, client, thread, files > 0 ? TEXT.filesOnly(code) : TEXT.onlyText(code));
      return;
    }
    const toPerson = caseRelays(deps.store).toPerson;
    try {
      if (!(await toPerson.alive())) {
        deps.log.error({ event: "case_relay_failed", case_id: caseId, direction: "to_person", reason: "no_telegram_instance" }, "no Telegram instance delivers staff replies from the shared store; staff are told");
        await post(deps, client, thread, TEXT.noDeliverer(code));
        return;
      }
      await toPerson.push({ type: "message", caseId, code: record.code, text, ref: event.ts });
    } catch (err) {
      deps.log.error({ event: "case_relay_failed", case_id: caseId, direction: "to_person", reason: "not_queued", err: (err as Error).name }, "could not queue a staff reply; staff are told");
      await post(deps, client, thread, TEXT.notQueued(code));
      return;
    }
    deps.log.info({ event: "case_relay", case_id: caseId, direction: "to_person", stage: "queued" }, "staff message queued for the person");
    if (files > 0) await post(deps, client, thread, TEXT.filesWithText(code));
  });

  app.action<BlockButtonAction>(CASE_CLOSE_ACTION, async ({ ack, action, body, client }) => {
    await ack();
    const caseId = action.value ?? "";
    const book = bookOf(deps);
    const pressed = body.channel?.id && body.message?.ts ? { channel: body.channel.id, ts: body.message.ts } : undefined;
    let thread: StaffThread | undefined;
    let record: CaseRecord | undefined;
    try {
      [thread, record] = await Promise.all([book.threadOf(caseId), book.get(caseId)]);
    } catch (err) {
      deps.log.error({ event: "case_lookup_failed", err: (err as Error).name }, "the shared store is unreachable: the Close button could not close the case");
      if (pressed) await post(deps, client, pressed, TEXT.storeDown);
      return;
    }
    const where = pressed ?? thread;
    if (!where) return;
    if (!record || record.via !== "slack" || (pressed && thread && pressed.ts !== thread.ts)) {
      await post(deps, client, where, TEXT.closedNote(record?.code ?? shortCaseCode(caseId)));
      return;
    }
    await closeByStaff(deps, client, record, where, body.user.id);
  });
}

async function closeByStaff(deps: SlackDeps, client: webApi.WebClient, record: CaseRecord, thread: StaffThread, user?: string): Promise<void> {
  let closed: CaseRecord | undefined;
  try {
    closed = await bookOf(deps).close(record.caseId);
  } catch (err) {
    deps.log.error({ event: "case_close_failed", case_id: record.caseId, err: (err as Error).name }, "the shared store is unreachable: the case could not be closed");
    await post(deps, client, thread, TEXT.storeDown);
    return;
  }
  if (!closed) {
    await post(deps, client, thread, TEXT.closedNote(record.code));
    return;
  }
  try {
    await caseRelays(deps.store).toPerson.push({ type: "closed", caseId: record.caseId, code: record.code, by: "staff", chatId: closed.chatId, locale: closed.locale });
  } catch (err) {
    deps.log.error({ event: "case_note_failed", case_id: record.caseId, err: (err as Error).name }, "could not queue the closing note for the person");
    await post(deps, client, thread, TEXT.closedNotTold(record.code));
    return;
  }
  await post(deps, client, thread, TEXT.closedByStaff(record.code, user));
  deps.log.info({ event: "case_closed", case_id: record.caseId, by: "staff" }, "case closed");
}

/** Posts in a thread; failures are logged (the caller has nothing better to do with them). */
async function post(deps: SlackDeps, client: webApi.WebClient, thread: StaffThread, text: string): Promise<void> {
  try {
    await postOrThrow(deps, client, thread, text);
  } catch (err) {
    deps.log.error({ event: "slack_error", feature: "case_note", code: slackErrorCode(err) }, "could not post a note in a case thread");
  }
}

/**
 * Delivers the person's side of cases into Slack threads, from the shared queue; undefined
 * when SLACK_STAFF_CHANNEL is not set.
 */
export function startCaseRelay(deps: SlackDeps, client: () => webApi.WebClient): RelayRunner | undefined {
  if (!deps.config.SLACK_STAFF_CHANNEL) return undefined;
  return caseRelays(deps.store).toStaff.run(
    (item, { final }) => deliver(deps, client(), item, final),
    (err) => deps.log.warn({ event: "case_relay_store_error", err: (err as Error).name }, "case relay: store unavailable, retrying"),
  );
}

async function deliver(deps: SlackDeps, client: webApi.WebClient, item: ToStaff, final: boolean): Promise<RelayOutcome> {
  const book = bookOf(deps);
  try {
    switch (item.type) {
      case "open":
        await openThread(deps, client, item);
        return "done";
      case "message": {
        let thread = await book.threadOf(item.caseId);
        const record = await book.get(item.caseId);
        if (!thread && record) thread = await openThread(deps, client, recordToOpen(record)); // its root could not be posted before
        if (!thread) return "done"; // closed and never opened: nobody to tell but the log
        const body = item.text !== undefined ? escape(item.text) : `_[${escape(item.kind ?? "message")}]_`;
        await postOrThrow(deps, client, thread, `*${item.code}:* ${body}`);
        deps.log.info({ event: "case_relay", case_id: item.caseId, direction: "to_staff", via: "slack" }, "person's message relayed");
        return "done";
      }
      case "closed": {
        const thread = await book.threadOf(item.caseId);
        if (thread) await postOrThrow(deps, client, thread, item.by === "forget" ? TEXT.closedByForget(item.code) : TEXT.closedByPerson(item.code));
        return "done";
      }
      case "note": {
        const thread = await book.threadOf(item.caseId);
        if (thread) await postOrThrow(deps, client, thread, `⚠️ ${escape(item.note)}`);
        return "done";
      }
      case "delivered": {
        const thread = await book.threadOf(item.caseId);
        if (!thread) return "done";
        await client.reactions.add({ channel: thread.channel, timestamp: item.ref, name: "white_check_mark" }).catch((err: unknown) =>
          deps.log.debug({ event: "slack_reaction_failed", code: slackErrorCode(err) }, "could not mark a relayed reply"),
        );
        return "done";
      }
    }
  } catch (err) {
    if (isTransient(err) && !final) return "retry"; // Slack is away: keep the order, try again soon
    deps.log.error({ event: "case_relay_failed", case_id: item.caseId, direction: "to_staff", item: item.type, code: slackErrorCode(err) }, "could not relay to the staff channel");
    if (item.type === "open" || item.type === "message") {
      // The person must know staff did not get it.
      const record = await book.get(item.caseId).catch(() => undefined);
      if (record) {
        await caseRelays(deps.store)
          .toPerson.push({ type: "not_relayed", caseId: item.caseId, code: item.code, chatId: record.chatId, locale: record.locale })
          .catch((e: unknown) => deps.log.error({ event: "case_note_failed", case_id: item.caseId, err: (e as Error).name }, "could not queue the 'not relayed' note for the person"));
      }
    }
    return "done";
  }
}

async function postOrThrow(deps: SlackDeps, client: webApi.WebClient, thread: StaffThread, text: string): Promise<void> {
  await withRetry("chat.postMessage", () => client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, text, unfurl_links: false, unfurl_media: false }), deps.log, deps.retry);
}

function recordToOpen(record: CaseRecord): Extract<ToStaff, { type: "open" }> {
  return {
    type: "open",
    caseId: record.caseId,
    code: record.code,
    level: record.level === "none" ? "at_risk" : record.level,
    indicators: record.indicators,
    locale: record.locale,
    platform: "telegram",
  };
}

/** Posts the case's root message in the staff channel; its thread is the case. */
async function openThread(deps: SlackDeps, client: webApi.WebClient, item: Extract<ToStaff, { type: "open" }>): Promise<StaffThread> {
  const book = bookOf(deps);
  const existing = await book.threadOf(item.caseId);
  const record = await book.get(item.caseId);
  // The same person asking again after a close gets a new thread; a redelivered "open" does not.
  if (existing && record && (await deps.store.get(`slack:case-open:${item.caseId}:${record.openedAt}`))) return existing;
  const alert = renderHandoffAlert({
    kind: "triage_handoff",
    caseId: item.caseId,
    level: item.level,
    indicators: item.indicators,
    language: item.locale,
    createdAt: new Date(record?.openedAt ?? Date.now()).toISOString(),
    platform: item.platform,
    ...(item.shared !== undefined ? { message: item.shared } : {}),
  });
  const text = `${item.level === "emergency" ? "🚨" : "🤝"} *Case ${item.code}* — a person on ${item.platform} asked to talk to a staff member`;
  const blocks = [
    section(text),
    section(escape(alert)),
    context(
      "Reply *in this thread* to write to the person through the bot (they see “NGO worker”, never your name); their messages arrive here while the case is open. Type `close` in the thread or press the button to close it. Their account is never shown.",
    ),
    actions("hotline_case", [button(`Close case ${item.code}`, CASE_CLOSE_ACTION, item.caseId, "danger")]),
  ];
  const channel = deps.config.SLACK_STAFF_CHANNEL!;
  const sent = await withRetry("chat.postMessage", () => client.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false }), deps.log, deps.retry);
  const thread = { channel: String(sent.channel ?? channel), ts: String(sent.ts) };
  await book.setThread(item.caseId, thread);
  await book.indexMessage(thread.channel, thread.ts, item.caseId);
  if (record) await deps.store.set(`slack:case-open:${item.caseId}:${record.openedAt}`, 1, 30 * 24 * 3600);
  deps.log.info({ event: "slack_case_opened", case_id: item.caseId, triage_level: item.level }, "case thread opened in the staff channel");
  return thread;
}
