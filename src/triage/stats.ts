/**
 * Aggregate triage statistics for NGO reporting: counts per day, level, indicator and language.
 * Never any message text or user id: `record` only takes the level, indicators and language.
 *
 * `FileTriageStats` persists to JSON in the data dir (written atomically: temp file + rename);
 * `MemoryTriageStats` is the same without a file, for tests.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { localeTag } from "../language/languages.ts";
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

  /**
   * `debounceMs` > 0 batches writes (a busy bot must not write a file per message); pending
   * counts are written by `flush()` and when the process exits.
   */
  constructor(
    readonly file: string,
    options: { debounceMs?: number } = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 0;
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as StatsSnapshot;
      if (parsed?.version !== 1 || typeof parsed.days !== "object") throw new Error(`Not a triage stats file: ${file}`);
      this.data = parsed;
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

  /** Writes the counts now (temp file + rename). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(tmp, this.file);
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
