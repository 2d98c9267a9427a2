/**
 * At-least-once handling with idempotent replies, for webhook and polling alike.
 *
 * - An update is **claimed** in the store with a short lease (`leaseSeconds`, renewed by a
 *   heartbeat while it is handled), so a kill -9'd instance's claim lapses within seconds and
 *   the redelivery is handled. Only after every reply was sent is it marked **done** (kept 2 h);
 *   a failure releases the claim, and the caller makes Telegram (or the poller) try again.
 * - A Bot API refusal that no redelivery can change (a 4xx other than 429: "chat not found",
 *   "bot was blocked by the user", "message is too long"...) ends the update: it is logged with
 *   its update id and marked done ("refused"), not redelivered. Trying it again would only send
 *   the replies before the refused one again or fail the same way.
 * - Every message the bot sends while handling an update is numbered; a redelivery of the
 *   same update skips the messages that already went out, so the person sees each reply once.
 * - With a shared store (several instances), one chat's updates are handled one at a time
 *   across instances (a leased per-chat lock), which keeps them in order.
 *
 * Keys (no text, no user ids): `tg:update:<id>`, `tg:update:<id>:sent:<n>`, `tg:chat-lock:<hash>`.
 */
import { createHash, randomBytes } from "node:crypto";
import { GrammyError, type Bot, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import { logger } from "../../src/index.ts";
import { KeyedLock } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import { logError } from "./bot.ts";
import type { HotlineContext } from "./context.ts";
import type { DeliveryJournal } from "./journal.ts";

/** Telegram retries an update for about a day; remembering ids for 2 h covers real retries. */
export const SEEN_TTL_SECONDS = 2 * 3600;

export interface DeliveryOptions {
  /** Lease of a claim in seconds, renewed every third of it (default 10). */
  leaseSeconds?: number;
  /** Keep one chat's updates in order across instances (use with a shared store). */
  chatLocks?: boolean;
  /** Longest wait for another instance to finish with the same chat (default 20 s). */
  chatLockWaitMs?: number;
  /** Names this instance in claims (default: random). */
  instance?: string;
  /**
   * Done marks and sent records also kept in a file (journal.ts), for an instance without a
   * shared store: the memory store forgets them on kill -9, and every update Telegram then hands
   * out again would be answered twice.
   */
  journal?: DeliveryJournal;
}

/**
 * "done": handled, replies sent; "duplicate": done before; "busy": being handled elsewhere (try
 * later); "failed": must be delivered again (claim released); "refused": Telegram refused a call
 * for good (see `isPermanentRefusal`), logged and marked done, not to be delivered again.
 */
export type Outcome = "done" | "duplicate" | "busy" | "failed" | "refused";

interface Claim {
  by: string;
}

const updateKey = (id: number) => `tg:update:${id}`;
const sentKey = (id: number, n: number) => `tg:update:${id}:sent:${n}`;

/** Methods whose effect the person sees and which a redelivery must not repeat. */
const VISIBLE_SENDS = new Set(["sendMessage", "sendPoll", "sendDocument", "copyMessage", "forwardMessage", "sendPhoto"]);

export class Delivery {
  readonly instance: string;
  private readonly lease: number;
  private readonly local = new KeyedLock();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: DeliveryOptions = {},
  ) {
    this.instance = options.instance ?? randomBytes(4).toString("hex");
    this.lease = options.leaseSeconds ?? 10;
  }

  /**
   * Handles one update unless it was done already or is being handled elsewhere. "failed"
   * means the update must be delivered again (its claim is released).
   */
  async process(bot: Bot<HotlineContext>, update: Update): Promise<Outcome> {
    const key = updateKey(update.update_id);
    const journal = this.options.journal;
    if (journal?.isDone(update.update_id)) return "duplicate";
    const claimed = await this.store.setIfAbsent<Claim | "done">(key, { by: this.instance }, this.lease);
    if (!claimed) {
      const state = await this.store.get<Claim | "done">(key);
      if (state === "done") return "duplicate";
      if (state !== undefined) return "busy";
      if (!(await this.store.setIfAbsent<Claim>(key, { by: this.instance }, this.lease))) return "busy"; // lapsed just now
    }
    const heartbeat = setInterval(() => {
      void this.store.set<Claim>(key, { by: this.instance }, this.lease).catch(() => undefined);
    }, (this.lease * 1000) / 3);
    heartbeat.unref();
    let unlock: (() => Promise<void>) | undefined;
    try {
      if (this.options.chatLocks) {
        // In this process the chat's updates queue up in arrival order (FIFO); across instances
        // the leased lock in the store keeps them apart.
        const chat = chatOf(update);
        return await this.local.run(`c${chat ?? "none"}`, async () => {
          unlock = await this.lockChat(update);
          if (unlock === undefined) {
            await this.store.delete(key).catch(() => undefined);
            return "busy";
          }
          await bot.handleUpdate(update);
          await this.markDone(update.update_id);
          return "done";
        });
      }
      await bot.handleUpdate(update);
      await this.markDone(update.update_id);
      return "done";
    } catch (err) {
      const error = (err as { error?: unknown }).error ?? err; // BotError wraps the middleware's error
      logError(error, update);
      if (isPermanentRefusal(error)) {
        await this.markDone(update.update_id).catch(() => undefined);
        return "refused";
      }
      await this.store.delete(key).catch(() => undefined);
      return "failed";
    } finally {
      clearInterval(heartbeat);
      await unlock?.().catch(() => undefined);
    }
  }

  private async markDone(updateId: number): Promise<void> {
    this.options.journal?.markDone(updateId);
    await this.store.set(updateKey(updateId), "done", SEEN_TTL_SECONDS);
  }

  /**
   * An API transformer for one update's context: visible sends are numbered; one that already
   * went out for this update (an earlier, failed delivery) is not sent again.
   */
  idempotentSends(updateId: number): Transformer {
    let n = 0;
    return async (prev, method, payload, signal) => {
      if (!VISIBLE_SENDS.has(method)) return prev(method, payload, signal);
      const index = n++;
      const key = sentKey(updateId, index);
      const journal = this.options.journal;
      const journaled = journal?.sent(updateId, index);
      if (journaled) return { ok: true, result: { ...journaled, chat: { id: (payload as { chat_id?: unknown }).chat_id }, text: "" } } as never;
      const earlier = await this.store.get<unknown>(key).catch(() => undefined);
      if (earlier !== undefined) return { ok: true, result: earlier } as never;
      const result = await prev(method, payload, signal);
      if (result.ok) {
        journal?.recordSent(updateId, index, result.result as { message_id?: unknown; date?: unknown });
        await this.store.set(key, minimal(result.result), SEEN_TTL_SECONDS).catch(() => undefined);
      }
      return result;
    };
  }

  /** Waits for the chat's lock (leased, renewed); undefined when it stayed taken too long. */
  private async lockChat(update: Update): Promise<(() => Promise<void>) | undefined> {
    const chat = chatOf(update);
    if (chat === undefined) return async () => undefined;
    const key = `tg:chat-lock:${createHash("sha256").update(String(chat)).digest("hex").slice(0, 16)}`;
    const deadline = Date.now() + (this.options.chatLockWaitMs ?? 20_000);
    const token = `${this.instance}:${update.update_id}`;
    let wait = 5;
    while (!(await this.store.setIfAbsent(key, token, this.lease))) {
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 100);
    }
    const renew = setInterval(() => void this.store.set(key, token, this.lease).catch(() => undefined), (this.lease * 1000) / 3);
    renew.unref();
    return async () => {
      clearInterval(renew);
      // Release only our own lock (it may have lapsed and been taken by someone else).
      let mine = false;
      await this.store.update<string>(key, (current) => {
        mine = current === token;
        return undefined;
      });
      if (mine) await this.store.delete(key);
    };
  }
}

/**
 * A refusal that the same request will meet again: a 4xx answer other than 429 (rate limit).
 * 5xx, 429 and network errors are passing and worth a redelivery.
 */
export function isPermanentRefusal(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
}

/** The chat an update belongs to (poll answers: the voter). */
export function chatOf(update: Update): number | undefined {
  return (
    update.message?.chat.id ??
    update.edited_message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.callback_query?.from.id ??
    update.poll_answer?.user?.id
  );
}

/** What is kept of a sent message for a redelivery: ids only, never its text. */
function minimal(result: unknown): unknown {
  if (typeof result !== "object" || result === null) return result;
  const r = result as Record<string, unknown>;
  const chat = r.chat as { id?: unknown; type?: unknown } | undefined;
  return {
    ...(r.message_id !== undefined ? { message_id: r.message_id } : {}),
    ...(r.date !== undefined ? { date: r.date } : {}),
    ...(chat ? { chat: { id: chat.id, type: chat.type } } : {}),
    ...(r.poll ? { poll: r.poll } : {}),
    text: "",
  };
}

/** Logs a delivery outcome that needs attention. */
export function logOutcome(update: Update, outcome: Outcome, mode: string): void {
  if (outcome === "refused") logger().error({ event: "update_given_up", update_id: update.update_id, mode, reason: "refused" }, "Telegram refused a call for this update; not delivering it again");
  if (outcome === "failed") logger().warn({ event: "update_redeliver", update_id: update.update_id, mode }, "update not handled; it will be delivered again");
}
