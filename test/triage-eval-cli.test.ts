import { hotlineInProcess } from "./helpers/cli.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateTriageFile, formatTriageReport } from "../src/triage/evaluate.ts";

describe("evaluateTriageFile", () => {
  it("scores misses by kind and lists them", () => {
    const dir = mkdtempSync(join(tmpdir(), "eval-"));
    const file = join(dir, "cases.jsonl");
    const cases = [
      { id: "a", message: "my boss took my passport", lang: "en", level: "trafficking" },
      { id: "b", message: "hello there", lang: "en", level: "trafficking" }, // a missed disclosure
      { id: "c", message: "помогите, меня заперли", lang: "ru", level: "emergency" },
      { id: "d", message: "What is debt bondage?", lang: "en", level: "none" },
      { id: "e", message: "my boss took my passport", lang: "en", level: "none" }, // a false alarm
      { id: "f", message: "I want to work in Korea next year", lang: "en", level: "at_risk" },
    ];
    writeFileSync(file, `${cases.map((c) => JSON.stringify(c)).join("\n")}\n\n`);
    const r = evaluateTriageFile(file);
    expect(r.total).toBe(6);
    expect(r.disclosureRecall).toMatchObject({ hits: 2, total: 3 });
    expect(r.emergencyRecall).toMatchObject({ hits: 1, total: 1, rate: 1 });
    expect(r.atRiskCaught).toMatchObject({ hits: 1, total: 1 });
    expect(r.falseAlarms).toMatchObject({ hits: 1, total: 2, rate: 0.5 });
    expect(r.misses.map((m) => `${m.id}:${m.kind}`).sort()).toEqual(["b:disclosure_missed", "e:false_alarm"]);
    expect(r.meetsTargets).toBe(false);
    const text = formatTriageReport(r);
    expect(text).toMatch(/Disclosure recall.*66\.7% \(2\/3\).*BELOW TARGET/);
    expect(text).toMatch(/b \[en\] disclosure_missed: expected trafficking, got none/);
    expect(text).toMatch(/Targets NOT met/);
  });

  it("names the line of a malformed case", () => {
    const dir = mkdtempSync(join(tmpdir(), "eval-"));
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"id":"x","message":"hi","level":"none"}\n{"id":"y","message":"hi","level":"panic"}\n');
    expect(() => evaluateTriageFile(file)).toThrow(/bad\.jsonl:2/);
  });
});

describe("hotline triage CLI", () => {
  /** In-process through the CLI's exported entry (runCli), each run with a fresh data folder. */
  const run = async (args: string[], input?: string) => {
    const r = await hotlineInProcess(args, { input, env: { DATA_DIR: mkdtempSync(join(tmpdir(), "cli-")) } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  it("--jsonl: one JSON object per input line", async () => {
    const out = await run(["triage", "--jsonl"], "rabotodatel zabral pasport\nthanks!\n\nМеня заперли\n");
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    // The fields stay; `check` is added when the learned check-in is offered.
    expect(Object.keys(lines[0]).filter((k) => k !== "check").sort()).toEqual(["contacts", "indicators", "language", "level", "message", "reply"]);
    for (const line of lines) if (line.check) expect(Object.keys(line.check).sort()).toEqual(["indicators", "level", "question"]);
    expect(lines[0]).toMatchObject({ message: "rabotodatel zabral pasport", language: "ru", level: "trafficking", indicators: ["retention_of_documents"] });
    expect(lines[0].contacts[0]).toEqual({ name: "National trafficking hotline", phone: "116 16" });
    expect(lines[1]).toMatchObject({ level: "none", contacts: [], reply: null });
    expect(lines[2].level).toBe("emergency");
    expect(lines[2].contacts[0].phone).toBe("112");
  });

  it("readable output and hotline stats", async () => {
    const out = await run(["triage", "my", "boss", "took", "my", "passport"]);
    expect(out).toMatch(/Level:\s+trafficking/);
    expect(out).toMatch(/Rules:\s+documents_taken/);
    expect(out).toMatch(/verify before deployment/);
    expect(await run(["stats"])).toMatch(/No triage statistics/);
  });
});
