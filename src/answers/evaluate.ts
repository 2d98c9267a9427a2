/**
 * Retrieval evaluation on a labelled question file (format of shared/eval/qa-dev.jsonl):
 * recall@1, recall@3 and MRR, overall and per language. A hit at k: one of the first k cited
 * passages comes from the expected document and contains one of the expected answers
 * (case-insensitive, white space collapsed, thousands separators removed).
 *
 * A case without `source` is out of scope: it should be declined. The report counts how often
 * in-scope questions were declined and out-of-scope ones declined, and, when a baseline
 * retriever is given (the LangChain recipe), its recall on the same cases in the same run.
 * With `englishOnly` (an assistant built without the translated passages' index), the same
 * questions are asked there too and its figures are reported beside: the translated index's
 * gain per language.
 */
import { z } from "zod";
import type { Assistant } from "../assistant.ts";
import { parseLocale } from "../language/languages.ts";
import { readJsonl } from "../jsonl.ts";
import type { Answer } from "./types.ts";

export { readJsonl };

const caseSchema = z.object({
  id: z.string(),
  question: z.string(),
  lang: z.string(),
  source: z.string(),
  answers: z.array(z.string()).min(1),
});
export type QaCase = z.infer<typeof caseSchema>;

/** An evaluation line: in scope (source and answers) or out of scope (neither). */
const anyCaseSchema = z.object({
  id: z.string(),
  question: z.string(),
  lang: z.string(),
  source: z.string().optional(),
  answers: z.array(z.string()).min(1).optional(),
  kind: z.string().optional(),
});
export type AnyQaCase = z.infer<typeof anyCaseSchema>;

export interface QaScores {
  n: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  /** In-scope questions answered "the reports do not say" (share). */
  declined?: number;
  /** The baseline's recall@3 on the same cases. */
  baselineAt3?: number;
  /** The English-only route's (no translated index) recall@3 and declined share on the same cases. */
  englishOnlyAt3?: number;
  englishOnlyDeclined?: number;
}

export interface OutOfScopeScores {
  n: number;
  /** Share declined (wanted: all). */
  declined: number;
  baselineDeclined?: number;
  englishOnlyDeclined?: number;
}

export interface QaReport {
  overall: QaScores;
  byLanguage: Record<string, QaScores>;
  /** By `kind` when the cases carry one (paraphrase, how, list, detail...). */
  byKind?: Record<string, QaScores>;
  outOfScope?: OutOfScopeScores & { byLanguage: Record<string, OutOfScopeScores>; answered: Array<{ id: string; lang: string; question: string; got: string }> };
  misses: Array<{ id: string; lang: string; question: string; rank: number | null; got: string[] }>;
}

/** A retriever to compare with: the top chunks for a question, with their document. */
export type BaselineRetriever = (question: string) => Promise<Array<{ source: string; text: string }>>;

export interface EvaluateOptions {
  /** Ask as NGO staff through the full router (`ask`, cards possible) instead of passages only. */
  staff?: boolean;
  baseline?: BaselineRetriever;
  /** The same assistant without the translated passages' index: its figures are reported beside. */
  englishOnly?: Assistant;
}

export function normalizeForMatch(text: string): string {
  return text.toLowerCase().replace(/(\d),(?=\d{3})/g, "$1").replace(/[’‘]/g, "'").replace(/\s+/g, " ").trim();
}

/** True when the answer is a decline (nothing from the reports, or a conversation reply). */
export function isDecline(answer: Answer): boolean {
  return answer.kind === "not_found" || answer.kind === "empty" || answer.kind === "conversation";
}

export async function evaluateQa(assistant: Assistant, cases: Array<QaCase | AnyQaCase>, options: EvaluateOptions = {}): Promise<QaReport> {
  const results: Array<{
    c: AnyQaCase;
    rank: number | null;
    got: string[];
    declined: boolean;
    baseRank?: number | null;
    baseDeclined?: boolean;
    englishRank?: number | null;
    englishDeclined?: boolean;
  }> = [];
  // By default evaluate the passage retrieval itself: cards are for migrants' practical questions.
  const askWith = (a: Assistant, c: AnyQaCase) => {
    const locale = parseLocale(c.lang);
    return options.staff ? a.ask(c.question, { audience: "staff", ...(locale ? { locale } : {}) }) : a.askPassages(c.question, locale ? { locale } : {});
  };
  for (const c of cases) {
    const answer = await askWith(assistant, c);
    const answers = (c.answers ?? []).map(normalizeForMatch);
    const rankOf = (a: Answer) => {
      const i = c.source ? a.citations.findIndex((cit) => cit.source === c.source && answers.some((x) => normalizeForMatch(cit.text).includes(x))) : -1;
      return i < 0 ? null : i + 1;
    };
    const row: (typeof results)[number] = { c, rank: rankOf(answer), got: answer.citations.map((x) => x.locator), declined: isDecline(answer) };
    if (options.englishOnly) {
      const english = await askWith(options.englishOnly, c);
      row.englishRank = rankOf(english);
      row.englishDeclined = isDecline(english);
    }
    if (options.baseline) {
      const chunks = await options.baseline(c.question);
      const i = c.source ? chunks.findIndex((ch) => ch.source === c.source && answers.some((a) => normalizeForMatch(ch.text).includes(a))) : -1;
      row.baseRank = i < 0 ? null : i + 1;
      row.baseDeclined = chunks.length === 0;
    }
    results.push(row);
  }
  const inScope = results.filter((r) => r.c.source);
  const outScope = results.filter((r) => !r.c.source);
  const score = (rs: typeof results): QaScores => ({
    n: rs.length,
    recallAt1: ratio(rs.filter((r) => r.rank === 1).length, rs.length),
    recallAt3: ratio(rs.filter((r) => r.rank !== null && r.rank <= 3).length, rs.length),
    mrr: ratio(rs.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0), rs.length),
    declined: ratio(rs.filter((r) => r.declined).length, rs.length),
    ...(options.baseline ? { baselineAt3: ratio(rs.filter((r) => r.baseRank != null && r.baseRank <= 3).length, rs.length) } : {}),
    ...(options.englishOnly
      ? {
          englishOnlyAt3: ratio(rs.filter((r) => r.englishRank != null && r.englishRank <= 3).length, rs.length),
          englishOnlyDeclined: ratio(rs.filter((r) => r.englishDeclined).length, rs.length),
        }
      : {}),
  });
  const oos = (rs: typeof results): OutOfScopeScores => ({
    n: rs.length,
    declined: ratio(rs.filter((r) => r.declined).length, rs.length),
    ...(options.baseline ? { baselineDeclined: ratio(rs.filter((r) => r.baseDeclined).length, rs.length) } : {}),
    ...(options.englishOnly ? { englishOnlyDeclined: ratio(rs.filter((r) => r.englishDeclined).length, rs.length) } : {}),
  });
  const group = <T>(rs: typeof results, key: (r: (typeof results)[number]) => string | undefined, f: (rs: typeof results) => T): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const k of [...new Set(rs.map(key).filter((k): k is string => !!k))].sort()) out[k] = f(rs.filter((r) => key(r) === k));
    return out;
  };
  const byKind = group(inScope, (r) => r.c.kind, score);
  return {
    overall: score(inScope),
    byLanguage: group(inScope, (r) => r.c.lang, score),
    ...(Object.keys(byKind).length ? { byKind } : {}),
    ...(outScope.length
      ? {
          outOfScope: {
            ...oos(outScope),
            byLanguage: group(outScope, (r) => r.c.lang, oos),
            answered: outScope.filter((r) => !r.declined).map((r) => ({ id: r.c.id, lang: r.c.lang, question: r.c.question, got: r.got[0] ?? "(card or reply)" })),
          },
        }
      : {}),
    misses: inScope
      .filter((r) => r.rank === null || r.rank > 1)
      .map((r) => ({ id: r.c.id, lang: r.c.lang, question: r.c.question, rank: r.rank, got: r.got })),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 1000) / 1000;
}

export function formatQaReport(report: QaReport, title = "QA retrieval"): string {
  const row = (name: string, s: QaScores) =>
    `  ${name.padEnd(10)} n=${String(s.n).padStart(3)}  recall@1=${s.recallAt1.toFixed(3)}  recall@3=${s.recallAt3.toFixed(3)}  MRR=${s.mrr.toFixed(3)}` +
    (s.declined !== undefined ? `  declined=${s.declined.toFixed(3)}` : "") +
    (s.englishOnlyAt3 !== undefined ? `  | English-only recall@3=${s.englishOnlyAt3.toFixed(3)} declined=${(s.englishOnlyDeclined ?? 0).toFixed(3)}` : "") +
    (s.baselineAt3 !== undefined ? `  | LangChain recall@3=${s.baselineAt3.toFixed(3)}` : "");
  const lines = [`${title}:`];
  if (report.overall.n > 0) {
    lines.push(row("overall", report.overall));
    for (const [lang, s] of Object.entries(report.byLanguage)) lines.push(row(lang, s));
    for (const [kind, s] of Object.entries(report.byKind ?? {})) lines.push(row(`kind:${kind}`, s));
  }
  const o = report.outOfScope;
  if (o) {
    const orow = (name: string, s: OutOfScopeScores) =>
      `  ${name.padEnd(10)} n=${String(s.n).padStart(3)}  out-of-scope declined=${s.declined.toFixed(3)}` +
      (s.englishOnlyDeclined !== undefined ? `  | English-only declined=${s.englishOnlyDeclined.toFixed(3)}` : "") +
      (s.baselineDeclined !== undefined ? `  | LangChain declined=${s.baselineDeclined.toFixed(3)}` : "");
    lines.push(orow("oos", o));
    for (const [lang, s] of Object.entries(o.byLanguage)) lines.push(orow(`oos ${lang}`, s));
    if (o.answered.length) {
      lines.push(`  out-of-scope answered (${o.answered.length}):`);
      for (const a of o.answered) lines.push(`    ${a.id} [${a.lang}] ${a.question}  → ${a.got}`);
    }
  }
  const misses = report.misses.filter((m) => m.rank === null || m.rank > 3);
  if (misses.length) {
    lines.push(`  misses at 3 (${misses.length}):`);
    for (const m of misses) lines.push(`    ${m.id} [${m.lang}] ${m.question}  → ${m.got.slice(0, 3).join(" | ") || "(not found)"}`);
  }
  return lines.join("\n");
}

export { caseSchema as qaCaseSchema, anyCaseSchema as qaAnyCaseSchema };
