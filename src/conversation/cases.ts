/**
 * Open cases of the two-way handoff: where staff replies for a case go and which staff-side
 * messages belong to it. Only routing is kept (the person's chat id, the language, the staff
 * chat or thread), never relayed text; the bot forwards it. On the shared store (memory or
 * Redis), so any instance can relay either way. Routing is read and written in the shared store
 * only (`sharedOf`): while Redis is down its calls throw rather than answer "no case" from this
 * process's memory, so the adapters can tell the person or staff that nothing was passed on.
 */
import { sharedOf } from "../store/fallback-store.ts";
import type { KeyValueStore } from "../store/kv.ts";
import type { Level } from "../triage/types.ts";

/** A case stays open for 30 days after the request unless someone closes it. */
export const CASE_TTL_SECONDS = 30 * 24 * 3600;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32: no I, L, O, U

/** A short, readable code for a case id (`case-<16 hex>` → `K7-4QX`), derived from its HMAC. */
export function shortCaseCode(caseId: string): string {
  const hex = caseId.replace(/^case-/, "");
  let n = BigInt(`0x${hex.slice(0, 10) || "0"}`);
  let out = "";
  for (let i = 0; i < 5; i++) {
    out = ALPHABET[Number(n % 32n)]! + out;
    n /= 32n;
  }
  return `${out.slice(0, 2)}-${out.slice(2)}`;
}

export interface CaseRecord {
  caseId: string;
  code: string;
  /** The person's chat (Telegram private chat id) and language tag. */
  chatId: number;
  locale: string;
  level: Level;
  indicators: string[];
  openedAt: number;
  /** Where staff read it: the Telegram staff chat (default) or a Slack thread. */
  via?: "telegram" | "slack";
}

/** Where a case lives in Slack: a thread in the staff channel. */
export interface StaffThread {
  channel: string;
  ts: string;
}

export class CaseBook {
  /** Routing: the shared store only. */
  private readonly store: KeyValueStore;

  constructor(
    /** De-duplication marks (`claim`): may fall back to memory like any other claim. */
    private readonly claims: KeyValueStore,
    private readonly prefix = "tg:case:",
  ) {
    this.store = sharedOf(claims);
  }

  key(caseId: string): string {
    return `${this.prefix}${caseId}`;
  }

  private messageKey(chat: string, messageId: number | string): string {
    return `${this.prefix}msg:${chat}:${messageId}`;
  }

  open(record: CaseRecord): Promise<void> {
    return this.store.set(this.key(record.caseId), record, CASE_TTL_SECONDS);
  }

  get(caseId: string): Promise<CaseRecord | undefined> {
    return this.store.get<CaseRecord>(this.key(caseId));
  }

  /** Closes the case; true when it was open. The message index stays, so late replies get a note. */
  async close(caseId: string): Promise<CaseRecord | undefined> {
    const record = await this.get(caseId);
    await this.store.delete(this.key(caseId));
    return record;
  }

  /** Remembers that a staff-side message belongs to a case (so replying to it reaches the person). */
  indexMessage(chat: string, messageId: number | string, caseId: string): Promise<void> {
    return this.store.set(this.messageKey(chat, messageId), caseId, CASE_TTL_SECONDS);
  }

  caseOfMessage(chat: string, messageId: number | string): Promise<string | undefined> {
    return this.store.get<string>(this.messageKey(chat, messageId));
  }

  /**
   * The Slack thread of a case (channel id and the root message's ts). Kept like the message
   * index, after the case closes, so late replies in the thread get a note.
   */
  setThread(caseId: string, thread: StaffThread): Promise<void> {
    return this.store.set(`${this.prefix}thread:${caseId}`, thread, CASE_TTL_SECONDS);
  }

  threadOf(caseId: string): Promise<StaffThread | undefined> {
    return this.store.get<StaffThread>(`${this.prefix}thread:${caseId}`);
  }

  /** Relays a person's message once however often the platform delivers it. */
  claim(what: string): Promise<boolean> {
    return this.claims.setIfAbsent(`${this.prefix}relayed:${what}`, 1, 24 * 3600);
  }
}
