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
import { createTriage } from "./engine.ts";
import { LEVELS, type Level, levelRank, type TriageResult } from "./types.ts";

/** Anything that triages a message: the rules engine, or the assistant (rules + check-in). */
export interface Assessor {
  assess(text: string): TriageResult;
}

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
  /**
   * The same figures counting the learned check-in: a case is caught when the rules' level is
   * enough, or when a check-in is offered whose "yes" routes it high enough; on `none` a
   * check-in counts as half a false alarm. Per language too. Absent when no case had a check-in
   * source (rules alone).
   */
  withCheck?: CheckFigures & { byLanguage: Record<string, CheckFigures>; checkIns: number; misses: TriageMiss[] };
}

export interface CheckFigures {
  disclosureRecall: Rate;
  emergencyRecall: Rate;
  atRiskCaught: Rate;
  /** hits may be fractional (a check-in on none counts 0.5). */
  falseAlarms: Rate;
}

const rate = (hits: number, total: number): Rate => ({ total, hits, rate: total === 0 ? 1 : hits / total });

/** Parses a JSONL file of cases; throws naming the line on a bad one. */
export function readTriageCases(path: string): TriageCase[] {
  return readJsonl(path, caseSchema);
}

export function evaluateTriageCases(cases: TriageCase[], triage: Assessor = createTriage()): TriageReport {
  const perLevelCounts = Object.fromEntries(LEVELS.map((l) => [l, { hits: 0, total: 0 }])) as Record<Level, { hits: number; total: number }>;
  let disclosure = 0, disclosureHits = 0, emergency = 0, emergencyHits = 0, atRisk = 0, atRiskHits = 0, none = 0, falseAlarms = 0;
  const misses: TriageMiss[] = [];
  const other: TriageMiss[] = [];
  const byLanguage: Record<string, { total: number; wrong: number }> = {};
  const check = newTally();
  const checkByLang: Record<string, Tally> = {};
  const checkMisses: TriageMiss[] = [];
  let checkIns = 0;
  let sawModel = false;

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

    // With the check-in: a "yes" takes the check's fixed route.
    sawModel ||= r.model !== undefined;
    if (r.check) checkIns++;
    const yesLevel: Level = r.check && levelRank(r.check.level) > levelRank(got) ? r.check.level : got;
    const tallies = [check, (checkByLang[lang] ??= newTally())];
    const checkMiss = (kind: TriageMiss["kind"]) => checkMisses.push({ ...miss(kind), got: yesLevel, rules: r.check ? [...r.rules, `check:${r.check.question}`] : r.rules });
    for (const t of tallies) {
      if (c.level === "emergency" || c.level === "trafficking") bump(t.disclosure, levelRank(yesLevel) >= levelRank("trafficking"));
      if (c.level === "emergency") bump(t.emergency, yesLevel === "emergency");
      if (c.level === "at_risk") bump(t.atRisk, yesLevel !== "none");
      if (c.level === "none") {
        t.none.total++;
        t.none.hits += got !== "none" ? 1 : r.check ? 0.5 : 0;
      }
    }
    if ((c.level === "emergency" || c.level === "trafficking") && levelRank(yesLevel) < levelRank("trafficking")) checkMiss("disclosure_missed");
    else if (c.level === "emergency" && yesLevel !== "emergency") checkMiss("emergency_underrated");
    else if (c.level === "at_risk" && yesLevel === "none") checkMiss("at_risk_missed");
    else if (c.level === "none" && (got !== "none" || r.check)) checkMiss("false_alarm");
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
    ...(sawModel
      ? {
          withCheck: {
            ...figures(check),
            byLanguage: Object.fromEntries(Object.entries(checkByLang).map(([l, t]) => [l, figures(t)])),
            checkIns,
            misses: checkMisses,
          },
        }
      : {}),
  };
  const judged: CheckFigures = report.withCheck ?? report;
  report.meetsTargets =
    judged.disclosureRecall.rate >= TRIAGE_TARGETS.disclosureRecall &&
    judged.emergencyRecall.rate >= TRIAGE_TARGETS.emergencyRecall &&
    judged.atRiskCaught.rate >= TRIAGE_TARGETS.atRiskCaught &&
    judged.falseAlarms.rate <= TRIAGE_TARGETS.falseAlarmRate;
  return report;
}

interface Tally {
  disclosure: { hits: number; total: number };
  emergency: { hits: number; total: number };
  atRisk: { hits: number; total: number };
  none: { hits: number; total: number };
}

function newTally(): Tally {
  return { disclosure: { hits: 0, total: 0 }, emergency: { hits: 0, total: 0 }, atRisk: { hits: 0, total: 0 }, none: { hits: 0, total: 0 } };
}

function bump(t: { hits: number; total: number }, hit: boolean): void {
  t.total++;
  if (hit) t.hits++;
}

function figures(t: Tally): CheckFigures {
  return {
    disclosureRecall: rate(t.disclosure.hits, t.disclosure.total),
    emergencyRecall: rate(t.emergency.hits, t.emergency.total),
    atRiskCaught: rate(t.atRisk.hits, t.atRisk.total),
    falseAlarms: { total: t.none.total, hits: t.none.hits, rate: t.none.total === 0 ? 0 : t.none.hits / t.none.total },
  };
}

/** Evaluates a JSONL file (synchronous; the result can also be awaited). */
export function evaluateTriageFile(path: string, triage?: Assessor): TriageReport {
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
  const w = report.withCheck;
  if (w) {
    const f = (r: Rate) => `${(r.rate * 100).toFixed(0)}%`;
    lines.push(
      "",
      `With the learned check-in (a "yes" takes the check's fixed route; a check-in on none counts half a false alarm; ${w.checkIns} check-ins offered):`,
      `  disclosure recall ${pct(w.disclosureRecall)}, emergency ${pct(w.emergencyRecall)}, at_risk caught ${pct(w.atRiskCaught)}, false alarms ${(w.falseAlarms.rate * 100).toFixed(1)}% (${w.falseAlarms.hits}/${w.falseAlarms.total})`,
      "  per language:   disclosure  emergency  at_risk  false alarms",
      ...Object.entries(w.byLanguage)
        .sort()
        .map(([l, v]) => `    ${l.padEnd(8)} ${f(v.disclosureRecall).padStart(10)} ${f(v.emergencyRecall).padStart(10)} ${f(v.atRiskCaught).padStart(8)} ${f(v.falseAlarms).padStart(13)}`),
      w.misses.length === 0 ? "  misses with the check-in: none" : `  misses with the check-in (${w.misses.length}):`,
      ...w.misses.map((m) => `    ${m.id} [${m.lang ?? "?"}] ${m.kind}: expected ${m.expected}, got ${m.got}${m.rules.length ? ` (${m.rules.join(", ")})` : ""}: ${short(m.message)}`),
    );
  }
  if (report.otherDifferences.length) {
    lines.push("", `Other level differences, within targets (${report.otherDifferences.length}):`);
    lines.push(...report.otherDifferences.map((m) => `  ${m.id} [${m.lang ?? "?"}] expected ${m.expected}, got ${m.got}: ${short(m.message)}`));
  }
  lines.push("", report.meetsTargets ? "All targets met." : "Targets NOT met.");
  return lines.join("\n");
}
