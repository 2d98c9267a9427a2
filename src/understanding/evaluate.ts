/**
 * Evaluations of the understanding step, per language and script (`hotline eval`):
 *
 * - `evaluateRoutedCards`: what a migrant actually receives for a practical question — the
 *   whole router (intent model, card matcher, passages), not the matcher alone. Right when the
 *   answer is the expected card (or an accepted alternative) in the person's language; for a
 *   factual case (`card: null`), right when no card answers.
 * - `evaluateLanguage`: language identification on any labelled file (`lang` plus `message`,
 *   `question` or `text`), Uzbek split by script.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseJsonl } from "../jsonl.ts";
import type { Answer } from "../answers/types.ts";
import { type Locale, localeOf, localeTag } from "../language/languages.ts";
import type { Detection } from "../language/detect.ts";

const tagSchema = z.enum(["en", "ru", "kk", "uz", "uz-Cyrl", "ky", "tg"]);

export const routedCardCaseSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  lang: tagSchema,
  card: z.string().min(1).nullable(),
  accept: z.array(z.string()).optional(),
});
export type RoutedCardCase = z.infer<typeof routedCardCaseSchema>;

/** The tag a case is scored under: Uzbek by the script it is written in. */
function tagOf(lang: string, text: string): string {
  if (lang !== "uz") return lang;
  const cyr = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const lat = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return cyr > lat ? "uz-Cyrl" : "uz";
}

export interface Figure {
  cases: number;
  right: number;
  rate: number;
}
const figure = (right: number, cases: number): Figure => ({ cases, right, rate: cases ? right / cases : 1 });

export interface RoutedCardsReport {
  file: string;
  overall: Figure;
  byLang: Record<string, Figure>;
  /** Practical questions: the right card (or an accepted one) in the person's language. */
  practical: Figure;
  practicalByLang: Record<string, Figure>;
  /** Factual questions answered by a card (the target is ≤ 5%). */
  factualAnsweredByCard: Figure;
  misses: Array<{ id: string; lang: string; expected: string | null; got: string | null; locale: string; question: string }>;
}

/** `ask` answers as a migrant would be answered, without a chosen language. */
export async function evaluateRoutedCards(file: string, ask: (question: string) => Promise<Answer>): Promise<RoutedCardsReport> {
  const cases = parseJsonl(readFileSync(file, "utf8"), routedCardCaseSchema, file);
  const tally = new Map<string, { all: [number, number]; practical: [number, number] }>();
  let factual = 0;
  let factualCard = 0;
  const misses: RoutedCardsReport["misses"] = [];
  for (const c of cases) {
    const a = await ask(c.question);
    const tag = tagOf(c.lang, c.question);
    const got = a.kind === "card" && a.card ? a.card.id : null;
    const answeredIn = localeTag(a.locale);
    const inLanguage = answeredIn === tag || (tag === "uz" && answeredIn === "uz");
    let right: boolean;
    if (c.card === null) {
      factual++;
      if (got) factualCard++;
      right = got === null;
    } else right = got !== null && (got === c.card || (c.accept ?? []).includes(got)) && inLanguage;
    const t = tally.get(tag) ?? { all: [0, 0], practical: [0, 0] };
    t.all[1]++;
    if (right) t.all[0]++;
    if (c.card !== null) {
      t.practical[1]++;
      if (right) t.practical[0]++;
    }
    tally.set(tag, t);
    if (!right) misses.push({ id: c.id, lang: tag, expected: c.card, got, locale: answeredIn, question: c.question });
  }
  const sum = (k: "all" | "practical"): [number, number] => {
    let right = 0;
    let total = 0;
    for (const t of tally.values()) {
      right += t[k][0];
      total += t[k][1];
    }
    return [right, total];
  };
  const [ra, ca] = sum("all");
  const [rp, cp] = sum("practical");
  return {
    file,
    overall: figure(ra, ca),
    byLang: Object.fromEntries([...tally].map(([l, t]) => [l, figure(t.all[0], t.all[1])])),
    practical: figure(rp, cp),
    practicalByLang: Object.fromEntries([...tally].map(([l, t]) => [l, figure(t.practical[0], t.practical[1])])),
    factualAnsweredByCard: figure(factualCard, factual),
    misses,
  };
}

const pct = (f: Figure) => `${(f.rate * 100).toFixed(1)}% (${f.right}/${f.cases})`;
const ORDER = ["en", "ru", "kk", "uz", "uz-Cyrl", "ky", "tg"];
const ordered = <T>(m: Record<string, T>) => Object.entries(m).sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]));
const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}...` : s).replace(/\s+/g, " ");

export function formatRoutedCardsReport(r: RoutedCardsReport): string {
  return [
    `What a migrant receives (router: intent model, card matcher, passages) — ${r.file}`,
    `  right card in the person's language (practical questions): ${pct(r.practical)}  target >= 90% in every language`,
    ...ordered(r.practicalByLang).map(([l, f]) => `    ${l.padEnd(8)} ${pct(f)}`),
    `  factual questions answered by a card: ${pct(r.factualAnsweredByCard)}  target <= 5%`,
    `  all cases right: ${pct(r.overall)}`,
    r.misses.length ? `  misses (${r.misses.length}):` : "  misses: none",
    ...r.misses.map((m) => `    ${m.id} [${m.lang}] expected ${m.expected ?? "no card"}, got ${m.got ?? "no card"} (answered in ${m.locale}): ${short(m.question)}`),
  ].join("\n");
}

const languageCaseSchema = z
  .object({ id: z.string().optional(), lang: z.string(), message: z.string().optional(), question: z.string().optional(), text: z.string().optional() })
  .refine((c) => c.message ?? c.question ?? c.text, { message: "needs message, question or text" });

export interface LanguageReport {
  files: string[];
  overall: Figure;
  byLang: Record<string, Figure>;
  confusions: Record<string, number>;
  misses: Array<{ id?: string; expected: string; got: string; text: string }>;
}

/** Language identification over labelled files; `detect` is the assistant's detector. */
export function evaluateLanguage(files: string[], detect: (text: string) => Detection): LanguageReport {
  const byLang = new Map<string, [number, number]>();
  const confusions: Record<string, number> = {};
  const misses: LanguageReport["misses"] = [];
  for (const file of files) {
    for (const c of parseJsonl(readFileSync(file, "utf8"), languageCaseSchema, file)) {
      const text = (c.message ?? c.question ?? c.text)!;
      const expected = tagOf(c.lang, text);
      if (!ORDER.includes(expected)) continue;
      const d = detect(text);
      const got = d.supported ? localeTag(d.locale) : "unsupported";
      const t = byLang.get(expected) ?? [0, 0];
      t[1]++;
      if (got === expected) t[0]++;
      else {
        confusions[`${expected}→${got}`] = (confusions[`${expected}→${got}`] ?? 0) + 1;
        misses.push({ ...(c.id ? { id: c.id } : {}), expected, got, text });
      }
      byLang.set(expected, t);
    }
  }
  const all = [...byLang.values()].reduce((a, t) => [a[0] + t[0], a[1] + t[1]], [0, 0]);
  return { files, overall: figure(all[0]!, all[1]!), byLang: Object.fromEntries([...byLang].map(([l, t]) => [l, figure(t[0], t[1])])), confusions, misses };
}

export function formatLanguageReport(r: LanguageReport, maxMisses = 40): string {
  return [
    `Language identification — ${r.files.join(", ")}`,
    `  overall ${pct(r.overall)}  target >= 97%, >= 93% in each language and script`,
    ...ordered(r.byLang).map(([l, f]) => `    ${l.padEnd(8)} ${pct(f)}`),
    `  confusions: ${Object.entries(r.confusions).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`,
    ...r.misses.slice(0, maxMisses).map((m) => `    ${m.id ?? ""} expected ${m.expected}, got ${m.got}: ${short(m.text)}`),
    ...(r.misses.length > maxMisses ? [`    … ${r.misses.length - maxMisses} more`] : []),
  ].join("\n");
}

export function localeOfTag(tag: string): Locale {
  return tag === "uz-Cyrl" ? localeOf("uz", "cyrillic") : localeOf(tag as "en");
}
