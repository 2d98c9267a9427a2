/**
 * The relay of an open case between two platforms that may run in different processes (the
 * person on Telegram, staff in a Slack thread): each direction is a queue on the shared store
 * (memory, or Redis for several instances). The instance that receives a message pushes it;
 * whichever instance can deliver it (the Slack adapter for "to staff", the Telegram adapter for
 * "to the person") drains the queue.
 *
 * - **Order:** one global sequence per direction (`increment`), delivered in that order.
 * - **Once:** one drainer at a time per direction (a lease with a short expiry, so a crashed
 *   instance is replaced); a cursor records the last item handled, so a redelivery after a
 *   crash between sending and moving the cursor is the only way an item goes out twice
 *   (at-least-once, de-duplicated by the cursor).
 * - **Text in transit only:** an item is deleted as soon as it is delivered, and expires after
 *   an hour if nobody delivers it. Nothing else of the text is kept; only routing (case id,
 *   chat, thread) lives in the case book.
 *
 * - **Shared or nothing:** the queues and their cursors live in the shared store only (Redis
 *   behind the fallback store, `sharedOf`). While Redis is down a push fails (the caller tells
 *   the person or staff that the message did not go) instead of landing in one process's
 *   memory, where the other platform's instance would never see it.
 * - **Bounded, and only with someone to deliver:** a push fails when `maxPending` items wait
 *   (`RelayUnavailableError`); a running drainer marks the queue alive (`alive`, refreshed
 *   every few seconds, lapsing after `aliveSeconds`), so a sender can tell that no instance
 *   delivers this direction (e.g. Telegram on Redis with no Slack instance running).
 *
 * Both memory and Redis implement the few store calls used here, so a single process with both
 * adapters and two processes on Redis behave the same.
 */
import { randomBytes } from "node:crypto";
import { sharedOf } from "../store/fallback-store.ts";
import type { KeyValueStore } from "../store/kv.ts";
import type { Level } from "../triage/types.ts";

/** A relayed message waits at most this long for an instance that can deliver it. */
export const RELAY_ITEM_TTL_SECONDS = 3600;

/** To staff (Slack thread of the case). */
export type ToStaff =
  | { type: "open"; caseId: string; code: string; level: Exclude<Level, "none">; indicators: string[]; locale: string; platform: string; shared?: string }
  /** A message of the person: `text`, or a notice of what they sent (`kind`: photo, voice…), with a caption if any. */
  | { type: "message"; caseId: string; code: string; text?: string; kind?: string }
  | { type: "closed"; caseId: string; code: string; by: "person" | "forget" }
  /** A staff message reached the person (`ref`: the staff message, to mark it). */
  | { type: "delivered"; caseId: string; code: string; ref: string }
  /** Something staff should know in the thread (a delivery failed, with the reason). */
  | { type: "note"; caseId: string; code: string; note: string; ref?: string };

/** To the person (Telegram chat). */
export type ToPerson =
  | { type: "message"; caseId: string; code: string; text: string; ref: string }
  | { type: "closed"; caseId: string; code: string; by: "staff"; chatId: number; locale: string }
  /** Their message could not be passed to staff. */
  | { type: "not_relayed"; caseId: string; code: string; chatId: number; locale: string };

export interface RelayOptions {
  /** How often an idle drainer looks for new items (ms). */
  pollMs?: number;
  /** The drainer's lease (seconds); another instance takes over after it lapses. */
  leaseSeconds?: number;
  /** An item whose number is taken but that never appears (its writer died) is skipped after this (ms). */
  missingGraceMs?: number;
  /** A drain that reports `retry` this many times for one item gives it up (`final` on the last). */
  maxAttempts?: number;
  /** A push fails when this many items wait undelivered. */
  maxPending?: number;
  /** A running drainer counts as alive this long after its last mark (seconds). */
  aliveSeconds?: number;
}

const DEFAULTS: Required<RelayOptions> = { pollMs: 500, leaseSeconds: 15, missingGraceMs: 10_000, maxAttempts: 5, maxPending: 500, aliveSeconds: 30 };

/** A push that cannot be queued: the queue is full (nobody has delivered for a while). */
export class RelayUnavailableError extends Error {
  override name = "RelayUnavailableError";
}

/** What a handler says about one item: handled (or given up), or try again later. */
export type RelayOutcome = "done" | "retry";
export type RelayHandler<T> = (item: T, info: { seq: number; final: boolean }) => Promise<RelayOutcome>;

export class RelayQueue<T> {
  private readonly options: Required<RelayOptions>;
  private readonly owner = randomBytes(8).toString("hex");
  private readonly attempts = new Map<number, number>();
  private missingSince: { seq: number; at: number } | undefined;
  /** Runners of this queue in this process: a push here wakes them at once. */
  private readonly wake = new Set<() => void>();

  private readonly store: KeyValueStore;
  private aliveMarkedAt = 0;

  constructor(
    store: KeyValueStore,
    readonly name: string,
    options: RelayOptions = {},
  ) {
    this.store = sharedOf(store);
    this.options = { ...DEFAULTS, ...options };
  }

  private key(part: string): string {
    return `relay:${this.name}:${part}`;
  }

  /**
   * Queues an item; its number is its place in the order. Throws when the shared store cannot
   * be reached or `maxPending` items already wait (RelayUnavailableError).
   */
  async push(item: T): Promise<number> {
    if ((await this.pending()) >= this.options.maxPending) throw new RelayUnavailableError(`relay queue ${this.name} is full (${this.options.maxPending} items wait undelivered)`);
    const seq = await this.store.increment(this.key("seq"));
    await this.store.set(this.key(`item:${seq}`), item, RELAY_ITEM_TTL_SECONDS);
    for (const w of this.wake) w();
    return seq;
  }

  /** True when an instance has been draining this queue within the last `aliveSeconds`. */
  async alive(): Promise<boolean> {
    return (await this.store.get<string>(this.key("alive"))) !== undefined;
  }

  private async markAlive(): Promise<void> {
    const now = Date.now();
    if (now - this.aliveMarkedAt < (this.options.aliveSeconds * 1000) / 3) return;
    await this.store.set(this.key("alive"), this.owner, this.options.aliveSeconds);
    this.aliveMarkedAt = now;
  }

  /** Items queued and not yet handled (tests, health). */
  async pending(): Promise<number> {
    const [seq, done] = await Promise.all([this.store.get<number>(this.key("seq")), this.store.get<number>(this.key("done"))]);
    return Math.max(0, (seq ?? 0) - (done ?? 0));
  }

  /**
   * Handles the waiting items in order, if this instance holds (or gets) the lease; returns how
   * many were handled. Stops at an item the handler wants retried, and at a gap (an item being
   * written right now).
   */
  async drain(handle: RelayHandler<T>): Promise<number> {
    const lease = this.key("lease");
    if (!(await this.store.setIfAbsent(lease, this.owner, this.options.leaseSeconds))) {
      if ((await this.store.get<string>(lease)) !== this.owner) return 0;
    }
    let handled = 0;
    try {
      for (;;) {
        const [seq, done] = await Promise.all([this.store.get<number>(this.key("seq")), this.store.get<number>(this.key("done"))]);
        const next = (done ?? 0) + 1;
        if (next > (seq ?? 0)) break;
        if ((await this.store.get<string>(lease)) !== this.owner) break; // lost the lease: someone else goes on
        await this.store.set(lease, this.owner, this.options.leaseSeconds);
        const item = await this.store.get<T>(this.key(`item:${next}`));
        if (item === undefined) {
          // Numbered but not written yet (or its writer died, or it expired undelivered).
          const now = Date.now();
          if (this.missingSince?.seq !== next) this.missingSince = { seq: next, at: now };
          if (now - this.missingSince.at < this.options.missingGraceMs) break;
          await this.advance(next);
          continue;
        }
        const attempt = (this.attempts.get(next) ?? 0) + 1;
        const final = attempt >= this.options.maxAttempts;
        const outcome = await handle(item, { seq: next, final }).catch(() => "retry" as const);
        if (outcome === "retry" && !final) {
          this.attempts.set(next, attempt);
          break;
        }
        this.attempts.delete(next);
        await this.advance(next);
        await this.store.delete(this.key(`item:${next}`));
        handled++;
      }
    } finally {
      if ((await this.store.get<string>(lease).catch(() => undefined)) === this.owner) await this.store.delete(lease).catch(() => undefined);
    }
    return handled;
  }

  private async advance(seq: number): Promise<void> {
    await this.store.update<number>(this.key("done"), (current) => Math.max(current ?? 0, seq));
  }

  /**
   * Drains now and every `pollMs` until stopped. `kick()` drains at once (after a local push).
   * Store errors are reported to `onError` and retried on the next tick.
   */
  run(handle: RelayHandler<T>, onError: (err: unknown) => void = () => undefined): RelayRunner {
    let stopped = false;
    let running: Promise<void> | undefined;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = (): Promise<void> => {
      if (stopped) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await this.markAlive();
            await this.drain(handle);
          } catch (err) {
            onError(err);
          }
        } while (again && !stopped);
      })().finally(() => {
        running = undefined;
        schedule();
      });
      return running;
    };
    const schedule = () => {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), this.options.pollMs);
      timer.unref?.();
    };
    const wake = () => void tick();
    this.wake.add(wake);
    void tick();
    const queue = this;
    return {
      kick: () => tick(),
      async stop() {
        stopped = true;
        queue.aliveMarkedAt = 0;
        queue.wake.delete(wake);
        clearTimeout(timer);
        await running;
      },
    };
  }
}

export interface RelayRunner {
  /** Drains at once; resolves when that drain is over. */
  kick(): Promise<void>;
  stop(): Promise<void>;
}

export interface CaseRelays {
  toStaff: RelayQueue<ToStaff>;
  toPerson: RelayQueue<ToPerson>;
}

const relaysByStore = new WeakMap<KeyValueStore, CaseRelays>();

/**
 * The two queues of the case relay, by their fixed names (every instance uses the same), one
 * pair per store, so adapters in one process share them (the first call's options count).
 */
export function caseRelays(store: KeyValueStore, options: RelayOptions = {}): CaseRelays {
  let relays = relaysByStore.get(store);
  if (!relays) {
    relays = { toStaff: new RelayQueue<ToStaff>(store, "case:staff", options), toPerson: new RelayQueue<ToPerson>(store, "case:person", options) };
    relaysByStore.set(store, relays);
  }
  return relays;
}
