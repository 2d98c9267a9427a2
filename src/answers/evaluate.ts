/**
 * Retrieval evaluation on a labelled question file (format of shared/eval/qa-dev.jsonl):
 * recall@1, recall@3 and MRR, overall and per language. A hit at k: one of the first k cited
 * passages comes from the expected document and contains one of the expected answers
 * (case-insensitive, white space collapsed, thousands separators removed).
 */
import { z } from "zod";
import type { Assistant } from "../assistant.ts";
import { parseLocale } from "../language/languages.ts";
import { readJsonl } from "../jsonl.ts";

export { readJsonl };

const caseSchema = z.object({
  id: z.string(),
  question: z.string(),
  lang: z.string(),
  source: z.string(),
  answers: z.array(z.string()).min(1),
});
export type QaCase = z.infer<typeof caseSchema>;

export interface QaScores {
  n: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
}

export interface QaReport {
  overall: QaScores;
  byLanguage: Record<string, QaScores>;
  misses: Array<{ id: string; lang: string; question: string; rank: number | null; got: string[] }>;
}


export function normalizeForMatch(text: string): string {
  return text.toLowerCase().replace(/(\d),(?=\d{3})/g, "$1").replace(/[’‘]/g, "'").replace(/\s+/g, " ").trim();
}

export async function evaluateQa(assistant: Assistant, cases: QaCase[]): Promise<QaReport> {
  const results: Array<{ c: QaCase; rank: number | null; got: string[] }> = [];
  for (const c of cases) {
    // Evaluate the passage retrieval itself: cards are for migrants' practical questions.
    const answer = await assistant.askPassages(c.question, { locale: parseLocale(c.lang) });
    const answers = c.answers.map(normalizeForMatch);
    const rankIndex = answer.citations.findIndex(
      (cit) => cit.source === c.source && answers.some((a) => normalizeForMatch(cit.text).includes(a)),
    );
    results.push({ c, rank: rankIndex < 0 ? null : rankIndex + 1, got: answer.citations.map((x) => x.locator) });
  }
  const score = (rs: typeof results): QaScores => ({
    n: rs.length,
    recallAt1: ratio(rs.filter((r) => r.rank === 1).length, rs.length),
    recallAt3: ratio(rs.filter((r) => r.rank !== null && r.rank <= 3).length, rs.length),
    mrr: ratio(rs.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0), rs.length),
  });
  const byLanguage: Record<string, QaScores> = {};
  for (const lang of [...new Set(results.map((r) => r.c.lang))].sort()) byLanguage[lang] = score(results.filter((r) => r.c.lang === lang));
  return {
    overall: score(results),
    byLanguage,
    misses: results
      .filter((r) => r.rank === null || r.rank > 1)
      .map((r) => ({ id: r.c.id, lang: r.c.lang, question: r.c.question, rank: r.rank, got: r.got })),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 1000) / 1000;
}

export function formatQaReport(report: QaReport, title = "QA retrieval"): string {
  const row = (name: string, s: QaScores) =>
    `  ${name.padEnd(8)} n=${String(s.n).padStart(3)}  recall@1=${s.recallAt1.toFixed(3)}  recall@3=${s.recallAt3.toFixed(3)}  MRR=${s.mrr.toFixed(3)}`;
  const lines = [`${title}:`, row("overall", report.overall)];
  for (const [lang, s] of Object.entries(report.byLanguage)) lines.push(row(lang, s));
  const misses = report.misses.filter((m) => m.rank === null || m.rank > 3);
  if (misses.length) {
    lines.push(`  misses at 3 (${misses.length}):`);
    for (const m of misses) lines.push(`    ${m.id} [${m.lang}] ${m.question}  → ${m.got.slice(0, 3).join(" | ") || "(not found)"}`);
  }
  return lines.join("\n");
}

export { caseSchema as qaCaseSchema };
