import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTriage } from "../src/triage/engine.ts";
import { FileTriageStats, MemoryTriageStats, STATS_FILE, formatStats } from "../src/triage/stats.ts";

const triage = createTriage();
const messages = ["my boss took my passport and does not pay", "помогите, меня заперли", "hello", "Rossiyaga ishga ketmoqchiman"];

describe("triage statistics", () => {
  it("counts per day, level, indicator and language", () => {
    const stats = new MemoryTriageStats();
    const day1 = new Date("2026-03-01T10:00:00Z");
    const day2 = new Date("2026-03-02T10:00:00Z");
    for (const m of messages) stats.record(triage.assess(m), day1);
    stats.record(triage.assess("my boss took my passport"), day2);
    const snap = stats.snapshot();
    expect(Object.keys(snap.days).sort()).toEqual(["2026-03-01", "2026-03-02"]);
    const d1 = snap.days["2026-03-01"]!;
    expect(d1.total).toBe(4);
    expect(d1.levels).toEqual({ none: 1, at_risk: 1, trafficking: 1, emergency: 1 });
    expect(d1.indicators.retention_of_documents).toBe(1);
    expect(d1.indicators.withholding_of_wages).toBe(1);
    expect(d1.languages).toEqual({ en: 2, ru: 1, uz: 1 });
    expect(stats.totals().levels.trafficking).toBe(2);
    expect(formatStats(stats)).toMatch(/2026-03-01\s+total 4/);
  });

  it("holds no message text and no user ids", () => {
    const stats = new MemoryTriageStats();
    for (const m of messages) stats.record(triage.assess(m));
    const json = JSON.stringify(stats.snapshot());
    for (const m of messages) for (const word of m.split(/\s+/).filter((w) => w.length > 4)) expect(json).not.toContain(word);
    // record() only reads level, indicators and locale, whatever else is passed in.
    stats.record({ ...triage.assess("hello"), userId: "555000111", text: "secret words" } as never);
    const after = JSON.stringify(stats.snapshot());
    expect(after).not.toContain("555000111");
    expect(after).not.toContain("secret words");
  });

  it("persists to JSON in the data dir, written atomically, and reloads", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "stats-")), "data");
    const a = FileTriageStats.inDataDir(dataDir);
    a.record(triage.assess("помогите, меня заперли"), new Date("2026-04-01T00:00:00Z"));
    a.record(triage.assess("hello"), new Date("2026-04-01T00:00:00Z"));
    const file = join(dataDir, STATS_FILE);
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const b = FileTriageStats.inDataDir(dataDir);
    expect(b.snapshot().days["2026-04-01"]!.levels.emergency).toBe(1);
    expect(JSON.parse(readFileSync(file, "utf8")).days["2026-04-01"].total).toBe(2);
    expect(readFileSync(file, "utf8")).not.toContain("заперли");
  });

  it("an empty store says so", () => {
    expect(formatStats(new MemoryTriageStats())).toMatch(/No triage statistics/);
  });
});
