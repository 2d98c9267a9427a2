/** Robust files and configuration: stats, the case-id secret, REDIS_URL, the triage level in logs. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { renameLevelField, setLogger } from "../src/logger.ts";
import { FileTriageStats, STATS_FILE } from "../src/triage/stats.ts";
import { caseIdSecret, ensureDataDir } from "../src/triage/handoff.ts";

const lines: Array<Record<string, unknown>> = [];
setLogger(pino({ level: "info", formatters: { log: renameLevelField } }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }));
const result = { level: "trafficking" as const, indicators: ["retention_of_documents"], locale: { lang: "en" as const, script: "latin" as const } };

describe("files", () => {
  it("a truncated stats file is kept aside and rebuilt with a warning naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "stats-"));
    writeFileSync(join(dir, STATS_FILE), '{"version":1,"days":{"2025-');
    lines.length = 0;
    const stats = FileTriageStats.inDataDir(dir);
    stats.record(result);
    const warning = lines.find((l) => l.event === "stats_file_rebuilt");
    expect(String(warning?.msg)).toContain(join(dir, STATS_FILE));
    expect(JSON.parse(readFileSync(join(dir, STATS_FILE), "utf8")).version).toBe(1);
    expect(readdirSync(dir).some((f) => f.includes(".corrupt-"))).toBe(true);
  });

  it("a failed stats write is logged, not thrown, and written at the next try", () => {
    const dir = mkdtempSync(join(tmpdir(), "stats-"));
    const file = join(dir, "sub", STATS_FILE);
    writeFileSync(join(dir, "sub"), "a file where the folder should be");
    const stats = new FileTriageStats(file, { retryMs: 60_000 });
    lines.length = 0;
    expect(() => stats.record(result)).not.toThrow();
    expect(lines.some((l) => l.event === "stats_write_failed" && l.level === 50)).toBe(true);
    expect(stats.failures).toBe(1);
  });

  it("the data dir is created 0700; a secret file readable by others stops start-up naming it", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "data-")), "data");
    ensureDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const secret = caseIdSecret(dir);
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(caseIdSecret(dir)).toBe(secret);
    chmodSync(join(dir, "case-id-secret"), 0o644);
    expect(() => caseIdSecret(dir)).toThrow(/case-id-secret.*chmod 600/);
  });

  it("logs the triage level as triage_level, leaving pino's level alone", () => {
    lines.length = 0;
    const out: Array<Record<string, unknown>> = [];
    const log = pino({ level: "info", formatters: { log: renameLevelField } }, { write: (l: string) => void out.push(JSON.parse(l) as Record<string, unknown>) });
    log.info({ event: "triage", level: "emergency" }, "safety reply sent");
    expect(out[0]).toMatchObject({ level: 30, triage_level: "emergency" });
  });
});

describe("bad REDIS_URL", () => {
  const problem = (value: string) => {
    try {
      loadConfig({ REDIS_URL: value });
      return "";
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
  };
  it("names the variable for a malformed URL, a bad port and a missing host", () => {
    expect(problem("localhost:6379")).toMatch(/REDIS_URL must start with redis:\/\//);
    expect(problem("redis://127.0.0.1:99999")).toMatch(/REDIS_URL .*port/);
    expect(problem("redis://")).toMatch(/REDIS_URL has no host/);
    expect(problem("redis://127.0.0.1:6379/x")).toMatch(/REDIS_URL has a bad database/);
    expect(problem("redis://user:pw@127.0.0.1:6379/0")).toBe("");
    expect(problem("redis://user:pw@127.0.0.1:99999")).not.toContain("pw"); // never echoes a password
  });
});
