/**
 * The delivery journal: done marks and sent-reply records of `delivery.ts`, appended to a file in
 * DATA_DIR, for an instance without a shared store. With the memory store a kill -9 loses
 * every done mark, and Telegram then hands out again whatever was fetched but not yet confirmed
 * (in polling: every update after the oldest one still being retried), so each of those was
 * answered a second time. A line appended with `appendFileSync` is in the operating system's
 * hands at once and survives the process being killed (not a power cut).
 *
 * What is written: the update id, the reply's number within the update, and the sent message's
 * id and date. No text, no chat or user id (the chat of a skipped send is taken from the request).
 * Entries are kept `ttlSeconds` (2 h, like the done marks on Redis); on start the file is read,
 * expired and unreadable lines are dropped, and it is written again compacted.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { logger, writeFileAtomic } from "../../src/index.ts";

interface Line {
  /** `d:<update id>` (done) or `s:<update id>:<n>` (sent). */
  k: string;
  /** Written at (ms since epoch). */
  t: number;
  /** For a sent reply: the message's id and date. */
  m?: number;
  dt?: number;
}

export class DeliveryJournal {
  private readonly entries = new Map<string, Line>();
  private broken = false;
  /** Lines appended since the file was last compacted. */
  private appended = 0;

  constructor(
    readonly file: string,
    private readonly ttlSeconds = 2 * 3600,
    private readonly clock: () => number = Date.now,
  ) {
    this.load();
  }

  isDone(updateId: number): boolean {
    return this.fresh(`d:${updateId}`) !== undefined;
  }

  markDone(updateId: number): void {
    this.write({ k: `d:${updateId}`, t: this.clock() });
  }

  /** The message sent as reply `n` of the update, if one was recorded. */
  sent(updateId: number, n: number): { message_id?: number; date?: number } | undefined {
    const line = this.fresh(`s:${updateId}:${n}`);
    if (!line) return undefined;
    return { ...(line.m !== undefined ? { message_id: line.m } : {}), ...(line.dt !== undefined ? { date: line.dt } : {}) };
  }

  recordSent(updateId: number, n: number, message: { message_id?: unknown; date?: unknown } | undefined): void {
    const m = typeof message?.message_id === "number" ? message.message_id : undefined;
    const dt = typeof message?.date === "number" ? message.date : undefined;
    this.write({ k: `s:${updateId}:${n}`, t: this.clock(), ...(m !== undefined ? { m } : {}), ...(dt !== undefined ? { dt } : {}) });
  }

  private fresh(key: string): Line | undefined {
    const line = this.entries.get(key);
    if (!line) return undefined;
    if (this.clock() - line.t > this.ttlSeconds * 1000) {
      this.entries.delete(key);
      return undefined;
    }
    return line;
  }

  private write(line: Line): void {
    this.entries.set(line.k, line);
    if (this.broken) return;
    try {
      appendFileSync(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
      if (++this.appended > 5000 && this.appended > 2 * this.entries.size) this.compact();
    } catch (err) {
      // Delivery goes on with the marks in memory; only a kill -9 could then repeat replies.
      this.broken = true;
      logger().error({ event: "delivery_journal_failed", file: this.file, err: (err as Error).message }, "cannot write the delivery journal; replies may repeat after a crash");
    }
  }

  /** Rewrites the file with the entries still fresh (atomically: temporary file, then rename). */
  private compact(): void {
    const now = this.clock();
    for (const [k, line] of this.entries) if (now - line.t > this.ttlSeconds * 1000) this.entries.delete(k);
    writeFileAtomic(this.file, [...this.entries.values()].map((l) => `${JSON.stringify(l)}\n`).join(""), 0o600);
    this.appended = 0;
  }

  private load(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      if (existsSync(this.file)) {
        const now = this.clock();
        let bad = 0;
        for (const raw of readFileSync(this.file, "utf8").split("\n")) {
          if (!raw) continue;
          try {
            const line = JSON.parse(raw) as Line;
            if (typeof line.k !== "string" || typeof line.t !== "number") throw new Error("bad line");
            if (now - line.t <= this.ttlSeconds * 1000) this.entries.set(line.k, line);
          } catch {
            bad++; // a line cut short by a kill: skipped
          }
        }
        if (bad > 0) logger().warn({ event: "delivery_journal_lines_skipped", file: this.file, lines: bad }, "skipped unreadable lines of the delivery journal");
      }
      this.compact();
    } catch (err) {
      this.broken = true;
      logger().error({ event: "delivery_journal_failed", file: this.file, err: (err as Error).message }, "cannot use the delivery journal; replies may repeat after a crash");
    }
  }
}
