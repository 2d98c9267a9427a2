/**
 * Recall per language with and without the per-language index of translated passages
 * (`npx tsx bench/translations-recall.ts [qa files...]`): the same assistant, once with the
 * translations left out (English + glossary route only) and once with them. Measure only: the
 * held-out sets are reported, never tuned on.
 */
import { join } from "node:path";
import { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { Translations } from "../src/knowledge/translations.ts";
import { evaluateQa, qaCaseSchema, readJsonl, type QaReport } from "../src/answers/evaluate.ts";
import { LANGUAGES } from "../src/language/languages.ts";

const files = process.argv.slice(2).filter((a) => a !== "--");
const sets = files.length ? files : ["test/eval/qa-cases.jsonl", "test/eval/qa-colloquial.jsonl"];
const config = loadConfig({ LOG_LEVEL: "silent", ...process.env });
const corpus = loadCorpus(config.knowledgeDir);
const translations = Translations.load(config.knowledgeDir, corpus.passages);
const before = await Assistant.create(config, { corpus, models: false, translations: Translations.empty() });
const after = await Assistant.create(config, { corpus, models: false, translations });

console.log(`translated passages (current): ${LANGUAGES.filter((l) => l !== "en").map((l) => `${l} ${translations.current(l).size}/${corpus.passages.length}`).join(", ")}`);
for (const file of sets) {
  const cases = readJsonl(join(process.cwd(), file), qaCaseSchema);
  const [a, b] = [await evaluateQa(before, cases), await evaluateQa(after, cases)];
  console.log(`\n${file} — recall@3 English-only route → with translations (n)`);
  for (const lang of Object.keys(b.byLanguage)) console.log(`  ${lang.padEnd(3)} ${fmt(a, lang)} → ${fmt(b, lang)}  (n=${b.byLanguage[lang]!.n})`);
  console.log(`  all ${a.overall.recallAt3.toFixed(3)} → ${b.overall.recallAt3.toFixed(3)}`);
}

function fmt(r: QaReport, lang: string): string {
  return (r.byLanguage[lang]?.recallAt3 ?? 0).toFixed(3);
}
