/**
 * The check questions (knowledge/triage/checks.yaml): one yes/no question per ILO indicator,
 * the fixed level a "yes" leads to, and the order of the guided check (/check).
 *
 * Fixed rules only: a "yes" takes the route of its question's level, exactly as if a triage rule
 * had matched; the guided check's result is the highest level answered "yes". The classifiers
 * never decide a level; they only choose which question to ask (see `checkInFor`).
 */
import { z } from "zod";
import { readYamlFile } from "../yaml-file.ts";
import { LEVELS, type Level, levelRank } from "../triage/types.ts";

const schema = z.object({
  version: z.literal(1),
  questions: z.record(z.string().regex(/^[a-z_]+$/), z.object({ indicator: z.string().min(1), level: z.enum(LEVELS).exclude(["none"]) })),
  order: z.array(z.string()).min(1),
});

export interface CheckQuestion {
  id: string;
  /** The ILO indicator id, or `emergency` / `at_risk` for danger now and a risky offer. */
  indicator: string;
  level: Exclude<Level, "none">;
}

export interface CheckBook {
  questions: Map<string, CheckQuestion>;
  /** The guided check's questions, in order. */
  order: CheckQuestion[];
  /** The question that asks about an indicator. */
  forIndicator(indicator: string): CheckQuestion | undefined;
}

export function loadChecks(file: string): CheckBook {
  const parsed = schema.safeParse(readYamlFile(file));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const questions = new Map<string, CheckQuestion>();
  for (const [id, q] of Object.entries(parsed.data.questions)) questions.set(id, { id, ...q });
  const order = parsed.data.order.map((id) => {
    const q = questions.get(id);
    if (!q) throw new Error(`${file}: order names unknown question "${id}"`);
    return q;
  });
  const byIndicator = new Map<string, CheckQuestion>();
  for (const q of questions.values()) if (!byIndicator.has(q.indicator)) byIndicator.set(q.indicator, q);
  return { questions, order, forIndicator: (i) => byIndicator.get(i) };
}

/** What the guided check keeps between questions: the step and the indicators answered "yes". */
export interface GuidedCheckState {
  step: number;
  yes: string[];
}

/** The fixed result of a guided check: the highest level answered "yes", with its indicators. */
export function checkResult(book: CheckBook, yes: readonly string[]): { level: Level; indicators: string[] } {
  let level: Level = "none";
  const indicators: string[] = [];
  for (const id of yes) {
    const q = book.questions.get(id);
    if (!q) continue;
    if (levelRank(q.level) > levelRank(level)) level = q.level;
    if (!indicators.includes(q.indicator)) indicators.push(q.indicator);
  }
  return { level, indicators };
}
