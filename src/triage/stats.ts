/**
 * Aggregate triage statistics for NGO reporting: counts per day, level, indicator and language.
 * Never any message text or user id: `record` only takes the level, indicators and language.
 *
 * `FileTriageStats` persists to JSON in the data dir (written atomically: temp file + rename);
 * `MemoryTriageStats` is the same without a file, for tests.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../atomic-file.ts";
import { localeTag } from "../language/languages.ts";
import { logger } from "../logger.ts";
import { LEVELS, type Level, type TriageResult } from "./types.ts";

export const STATS_FILE = "triage-stats.json";

export interface DayStats {
  total: number;
  levels: Record<Level, number>;
  indicators: Record<string, number>;
  languages: Record<string, number>;
}

export interface StatsSnapshot {
  version: 1;
  days: Record<string, DayStats>;
}

/** What is counted: nothing that could identify the person or reveal what they wrote. */
export type StatsInput = Pick<TriageResult, "level" | "indicators" | "locale">;

const emptyDay = (): DayStats => ({
  total: 0,
  levels: Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>,
  indicators: {},
  languages: {},
});

export class MemoryTriageStats {
  protected data: StatsSnapshot = { version: 1, days: {} };

  /** Counts one triaged message on `date` (UTC day). */
  record(result: StatsInput, date: Date = new Date()): void {
    const day = date.toISOString().slice(0, 10);
    const d = (this.data.days[day] ??= emptyDay());
    d.total++;
    d.levels[result.level] = (d.levels[result.level] ?? 0) + 1;
    for (const i of new Set(result.indicators)) {
      if (/^[a-z_]{1,40}$/.test(i)) d.indicators[i] = (d.indicators[i] ?? 0) + 1;
    }
    const lang = localeTag(result.locale);
    d.languages[lang] = (d.languages[lang] ?? 0) + 1;
    this.persist();
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.data);
  }

  /** Totals over all days (or from `from` to `to`, inclusive, as YYYY-MM-DD). */
  totals(from?: string, to?: string): DayStats & { days: number } {
    const out = { ...emptyDay(), days: 0 };
    for (const [day, d] of Object.entries(this.data.days)) {
      if ((from && day < from) || (to && day > to)) continue;
      out.days++;
      out.total += d.total;
      for (const l of LEVELS) out.levels[l] += d.levels[l] ?? 0;
      for (const [k, v] of Object.entries(d.indicators)) out.indicators[k] = (out.indicators[k] ?? 0) + v;
      for (const [k, v] of Object.entries(d.languages)) out.languages[k] = (out.languages[k] ?? 0) + v;
    }
    return out;
  }

  protected persist(): void {}
}

export class FileTriageStats extends MemoryTriageStats {
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;
  private readonly retryMs: number;
  /** Consecutive failed writes (logged; the counts stay in memory and are written at the next try). */
  failures = 0;

  /**
   * `debounceMs` > 0 batches writes (a busy bot must not write a file per message); pending
   * counts are written by `flush()` and when the process exits.
   */
  constructor(
    readonly file: string,
    options: { debounceMs?: number; retryMs?: number } = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 0;
    this.retryMs = options.retryMs ?? 30_000;
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, "utf8")) as StatsSnapshot;
        if (parsed?.version !== 1 || typeof parsed.days !== "object" || parsed.days === null) throw new Error("not a triage stats file");
        this.data = parsed;
      } catch (err) {
        // A truncated or foreign file must not stop the bot: keep it aside and start afresh.
        const aside = `${file}.corrupt-${Date.now()}`;
        try {
          renameSync(file, aside);
        } catch {
          // unreadable and unmovable: it is overwritten at the next write
        }
        logger().warn({ event: "stats_file_rebuilt", file, kept_as: aside, err: (err as Error).message.slice(0, 200) }, `triage statistics file ${file} was unreadable; starting a new one (the old one is kept as ${aside})`);
      }
    }
    if (this.debounceMs > 0) process.once("exit", () => this.flush());
  }

  /** The stats file in a data dir. */
  static inDataDir(dataDir: string, options: { debounceMs?: number } = {}): FileTriageStats {
    return new FileTriageStats(join(dataDir, STATS_FILE), options);
  }

  protected override persist(): void {
    if (this.debounceMs <= 0) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs).unref();
  }

  /**
   * Writes the counts now (temp file + rename). Never throws: a failed write (full disk, a
   * read-only folder) is logged and tried again later; the counts are kept in memory meanwhile.
   * Returns whether the write succeeded.
   */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
      if (this.failures > 0) logger().info({ event: "stats_write_recovered", file: this.file }, "triage statistics written again");
      this.failures = 0;
      return true;
    } catch (err) {
      this.failures++;
      const code = (err as NodeJS.ErrnoException).code;
      logger().error({ event: "stats_write_failed", file: this.file, code, attempt: this.failures }, `could not write triage statistics to ${this.file}; retrying later`);
      if (this.debounceMs > 0 || this.retryMs > 0) this.timer ??= setTimeout(() => this.flush(), this.retryMs).unref();
      return false;
    }
  }
}

/** A readable report of the aggregates, per day and in total. */
export function formatStats(stats: MemoryTriageStats): string {
  const snap = stats.snapshot();
  const days = Object.keys(snap.days).sort();
  if (days.length === 0) return "No triage statistics recorded yet.";
  const fmt = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "-";
  const lines = ["Triage statistics (counts only; no message text, no user ids)", ""];
  for (const day of days) {
    const d = snap.days[day]!;
    lines.push(`${day}  total ${d.total}  levels: ${fmt(d.levels)}  languages: ${fmt(d.languages)}`);
    if (Object.keys(d.indicators).length) lines.push(`            indicators: ${fmt(d.indicators)}`);
  }
  const t = stats.totals();
  lines.push("", `All ${t.days} day(s): total ${t.total}`, `  levels: ${fmt(t.levels)}`, `  indicators: ${fmt(t.indicators)}`, `  languages: ${fmt(t.languages)}`);
  return lines.join("\n");
}
