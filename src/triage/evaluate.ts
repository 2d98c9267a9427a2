/**
 * Evaluation of triage on a labelled JSONL file (`{id, message, lang, level}` per line), e.g.
 * ../shared/eval/triage-dev.jsonl or test/eval/triage-cases.jsonl.
 *
 * Figures: per-level recall (exact level), disclosure recall (emergency or trafficking triaged at
 * trafficking or higher), emergency recall, at_risk caught (not none), false-alarm rate on none,
 * and every miss. `hotline eval --triage FILE` prints `formatTriageReport(evaluateTriageFile(FILE))`.
 */
import { readJsonl } from "../jsonl.ts";
import { z } from "zod";
import { createTriage, type Triage } from "./engine.ts";
import { LEVELS, type Level, levelRank } from "./types.ts";

export const TRIAGE_TARGETS = { disclosureRecall: 1.0, emergencyRecall: 0.95, atRiskCaught: 0.85, falseAlarmRate: 0.03 } as const;

const caseSchema = z.object({
  id: z.string().min(1),
  message: z.string(),
  lang: z.string().optional(),
  level: z.enum(LEVELS),
});
export type TriageCase = z.infer<typeof caseSchema>;

export interface Rate {
  total: number;
  hits: number;
  /** hits / total; 1 when there are no cases (nothing was missed). */
  rate: number;
}

export interface TriageMiss {
  id: string;
  lang?: string;
  expected: Level;
  got: Level;
  rules: string[];
  message: string;
  /** Why it counts as a miss. */
  kind: "disclosure_missed" | "emergency_underrated" | "at_risk_missed" | "false_alarm" | "other_level";
}

export interface TriageReport {
  file?: string;
  total: number;
  perLevel: Record<Level, Rate>;
  disclosureRecall: Rate;
  emergencyRecall: Rate;
  atRiskCaught: Rate;
  falseAlarms: Rate;
  byLanguage: Record<string, { total: number; wrong: number }>;
  /** Cases failing a target criterion (disclosure, emergency, at_risk caught, false alarm). */
  misses: TriageMiss[];
  /** Cases with a different level that still meet the criteria (e.g. at_risk seen as trafficking). */
  otherDifferences: TriageMiss[];
  meetsTargets: boolean;
}

const rate = (hits: number, total: number): Rate => ({ total, hits, rate: total === 0 ? 1 : hits / total });

/** Parses a JSONL file of cases; throws naming the line on a bad one. */
export function readTriageCases(path: string): TriageCase[] {
  return readJsonl(path, caseSchema);
}

export function evaluateTriageCases(cases: TriageCase[], triage: Triage = createTriage()): TriageReport {
  const perLevelCounts = Object.fromEntries(LEVELS.map((l) => [l, { hits: 0, total: 0 }])) as Record<Level, { hits: number; total: number }>;
  let disclosure = 0, disclosureHits = 0, emergency = 0, emergencyHits = 0, atRisk = 0, atRiskHits = 0, none = 0, falseAlarms = 0;
  const misses: TriageMiss[] = [];
  const other: TriageMiss[] = [];
  const byLanguage: Record<string, { total: number; wrong: number }> = {};

  for (const c of cases) {
    const r = triage.assess(c.message);
    const got = r.level;
    const lang = c.lang ?? "?";
    byLanguage[lang] ??= { total: 0, wrong: 0 };
    byLanguage[lang].total++;
    perLevelCounts[c.level].total++;
    if (got === c.level) perLevelCounts[c.level].hits++;
    else byLanguage[lang].wrong++;

    const miss = (kind: TriageMiss["kind"]): TriageMiss => ({ id: c.id, lang: c.lang, expected: c.level, got, rules: r.rules, message: c.message, kind });
    let failed: TriageMiss | undefined;
    if (c.level === "emergency" || c.level === "trafficking") {
      disclosure++;
      if (levelRank(got) >= levelRank("trafficking")) disclosureHits++;
      else failed = miss("disclosure_missed");
    }
    if (c.level === "emergency") {
      emergency++;
      if (got === "emergency") emergencyHits++;
      else failed ??= miss("emergency_underrated");
    }
    if (c.level === "at_risk") {
      atRisk++;
      if (got !== "none") atRiskHits++;
      else failed = miss("at_risk_missed");
    }
    if (c.level === "none") {
      none++;
      if (got !== "none") {
        falseAlarms++;
        failed = miss("false_alarm");
      }
    }
    if (failed) misses.push(failed);
    else if (got !== c.level) other.push(miss("other_level"));
  }

  const perLevel = Object.fromEntries(LEVELS.map((l) => [l, rate(perLevelCounts[l].hits, perLevelCounts[l].total)])) as Record<Level, Rate>;
  const report: TriageReport = {
    total: cases.length,
    perLevel,
    disclosureRecall: rate(disclosureHits, disclosure),
    emergencyRecall: rate(emergencyHits, emergency),
    atRiskCaught: rate(atRiskHits, atRisk),
    falseAlarms: { total: none, hits: falseAlarms, rate: none === 0 ? 0 : falseAlarms / none },
    byLanguage,
    misses,
    otherDifferences: other,
    meetsTargets: false,
  };
  report.meetsTargets =
    report.disclosureRecall.rate >= TRIAGE_TARGETS.disclosureRecall &&
    report.emergencyRecall.rate >= TRIAGE_TARGETS.emergencyRecall &&
    report.atRiskCaught.rate >= TRIAGE_TARGETS.atRiskCaught &&
    report.falseAlarms.rate <= TRIAGE_TARGETS.falseAlarmRate;
  return report;
}

/** Evaluates a JSONL file (synchronous; the result can also be awaited). */
export function evaluateTriageFile(path: string, triage?: Triage): TriageReport {
  const report = evaluateTriageCases(readTriageCases(path), triage);
  report.file = path;
  return report;
}

const pct = (r: Rate) => `${(r.rate * 100).toFixed(1)}% (${r.hits}/${r.total})`;
const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}...` : s).replace(/\s+/g, " ");

export function formatTriageReport(report: TriageReport): string {
  const mark = (ok: boolean) => (ok ? "ok" : "BELOW TARGET");
  const lines = [
    `Triage evaluation${report.file ? `: ${report.file}` : ""} (${report.total} cases)`,
    "",
    "Per-level recall (exact level):",
    ...LEVELS.map((l) => `  ${l.padEnd(12)} ${pct(report.perLevel[l])}`),
    "",
    `Disclosure recall (emergency/trafficking -> >= trafficking): ${pct(report.disclosureRecall)}  target 100%  ${mark(report.disclosureRecall.rate >= TRIAGE_TARGETS.disclosureRecall)}`,
    `Emergency recall:                                          ${pct(report.emergencyRecall)}  target >= 95%  ${mark(report.emergencyRecall.rate >= TRIAGE_TARGETS.emergencyRecall)}`,
    `at_risk caught (not none):                                 ${pct(report.atRiskCaught)}  target >= 85%  ${mark(report.atRiskCaught.rate >= TRIAGE_TARGETS.atRiskCaught)}`,
    `False alarms on none:                                      ${pct(report.falseAlarms)}  target <= 3%  ${mark(report.falseAlarms.rate <= TRIAGE_TARGETS.falseAlarmRate)}`,
    "",
    `By language: ${Object.entries(report.byLanguage)
      .sort()
      .map(([l, v]) => `${l} ${v.total - v.wrong}/${v.total}`)
      .join(", ")} exact`,
    "",
    report.misses.length === 0 ? "Misses: none" : `Misses (${report.misses.length}):`,
    ...report.misses.map((m) => `  ${m.id} [${m.lang ?? "?"}] ${m.kind}: expected ${m.expected}, got ${m.got}${m.rules.length ? ` (${m.rules.join(", ")})` : ""}: ${short(m.message)}`),
  ];
  if (report.otherDifferences.length) {
    lines.push("", `Other level differences, within targets (${report.otherDifferences.length}):`);
    lines.push(...report.otherDifferences.map((m) => `  ${m.id} [${m.lang ?? "?"}] expected ${m.expected}, got ${m.got}: ${short(m.message)}`));
  }
  lines.push("", report.meetsTargets ? "All targets met." : "Targets NOT met.");
  return lines.join("\n");
}
