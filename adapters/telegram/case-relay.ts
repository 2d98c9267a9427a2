/**
 * The Telegram end of the Slack case relay: delivers what staff wrote in a case's Slack thread
 * to the person (and "staff closed the conversation", "your message did not reach staff"),
 * from the shared queue (src/conversation/relay.ts), in order, once. Any Telegram instance on
 * the same store can deliver; one at a time does.
 *
 * A delivery that fails after the API's own retries (429, 5xx, network) is tried again on the
 * next rounds; one Telegram refuses for good (the person blocked the bot, the chat is gone) or
 * that keeps failing is reported in the case's Slack thread, never dropped silently. A
 * delivered message gets a mark in the thread. The text is forwarded, never kept.
 */
import { GrammyError, type Api, type RawApi } from "grammy";
import { logger, localeOf, parseLocale, type RelayOutcome, type RelayRunner, type ToPerson, type ToStaff } from "../../src/index.ts";
import type { BotDeps } from "./deps.ts";
import { slackRelay } from "./deps.ts";
import { casesOf } from "./features/handoff.ts";
import { escapeHtml } from "./format/html.ts";
import { packBlocks } from "./format/split.ts";
import { sendHtml } from "./send.ts";

/** Starts delivering to people; undefined when cases do not go to Slack. */
export function startCaseRelay(api: Api<RawApi>, deps: BotDeps): RelayRunner | undefined {
  const relays = slackRelay(deps);
  if (!relays) return undefined;
  return relays.toPerson.run(
    (item, { final }) => deliver(api, deps, item, final),
    (err) => logger().warn({ event: "case_relay_store_error", err: (err as Error).name }, "case relay: store unavailable, retrying"),
  );
}

async function deliver(api: Api<RawApi>, deps: BotDeps, item: ToPerson, final: boolean): Promise<RelayOutcome> {
  const relays = slackRelay(deps)!;
  // A note back to the thread is best effort: failing it must not send the person's message again.
  const tellStaff = (note: ToStaff) =>
    relays.toStaff.push(note).catch((err: unknown) => logger().error({ event: "case_note_failed", case_id: item.caseId, note: note.type, err: (err as Error).name }, "could not queue a note for the case thread"));
  const t = (locale: string, key: string) => deps.core.t(parseLocale(locale) ?? localeOf("en"), key);
  switch (item.type) {
    case "closed":
    case "not_relayed": {
      // A short note in the person's language; a failure is logged (there is nobody else to tell).
      const key = item.type === "closed" ? "conversation.case.closed_by_staff" : "conversation.case.not_relayed";
      await sendHtml(api, item.chatId, [escapeHtml(t(item.locale, key))]).catch((err: unknown) =>
        logger().warn({ event: "case_note_failed", case_id: item.caseId, note: item.type, err: (err as Error).name }, "could not send the person a note about their case"),
      );
      return "done";
    }
    case "message": {
      const record = await casesOf(deps).get(item.caseId);
      if (!record) {
        // Closed between the staff reply and its delivery (the person stopped, or /forget).
        await tellStaff({ type: "note", caseId: item.caseId, code: item.code, ref: item.ref, note: `Case ${item.code} is closed: this reply was not delivered.` });
        return "done";
      }
      try {
        await sendHtml(api, record.chatId, packBlocks([`🤝 <b>${escapeHtml(t(record.locale, "conversation.case.from_staff"))}</b>`, { text: item.text }]));
      } catch (err) {
        const refused = err instanceof GrammyError && err.error_code >= 400 && err.error_code < 500 && err.error_code !== 429;
        if (!refused && !final) return "retry"; // a passing fault: try again in a moment, order kept
        const reason = err instanceof GrammyError ? err.description : "Telegram could not be reached";
        logger().error({ event: "case_relay_failed", case_id: item.caseId, direction: "to_person", err: (err as Error).name }, "could not relay to the person");
        await tellStaff({ type: "note", caseId: item.caseId, code: item.code, ref: item.ref, note: `Could not deliver this reply to ${item.code} (${reason}). Please try again later.` });
        return "done";
      }
      await tellStaff({ type: "delivered", caseId: item.caseId, code: item.code, ref: item.ref });
      logger().info({ event: "case_relay", case_id: item.caseId, direction: "to_person", via: "slack" }, "staff message relayed");
      return "done";
    }
  }
}
