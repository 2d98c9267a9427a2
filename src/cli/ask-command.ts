/**
 * `hotline ask "question"` (readable, `--json`, or `--jsonl` over stdin), `hotline index`
 * (rebuild the search index) and `hotline eval` (development-set figures).
 */
import type { Command } from "commander";
import { type CliIo, processIo } from "./io.ts";
import { createInterface } from "node:readline";
import { loadConfig } from "../config.ts";
import { createAssistant } from "../app.ts";
import type { Assistant } from "../assistant.ts";
import type { Answer } from "../answers/types.ts";
import { formatAnswerText } from "../answers/format-text.ts";
import { type BaselineRetriever, evaluateQa, formatQaReport, qaAnyCaseSchema, readJsonl } from "../answers/evaluate.ts";
import { parseLocale } from "../language/languages.ts";
import { loadCorpus } from "../knowledge/corpus.ts";
import { evaluateTriageFile, formatTriageReport } from "../triage/evaluate.ts";
import { evaluateCardsFile, formatCardsReport } from "../cards/evaluate.ts";
import { evaluateLanguage, evaluateRoutedCards, formatLanguageReport, formatRoutedCardsReport } from "../understanding/evaluate.ts";
import { join } from "node:path";

export function answerJson(answer: Answer): Record<string, unknown> {
  return {
    question: answer.question,
    language: answer.locale.lang,
    found: answer.found,
    ...(answer.card ? { card: answer.card.id } : {}),
    answer: answer.answer,
    citations: answer.citations.map((c) => ({
      rank: c.rank,
      source: c.source,
      title: c.title,
      locator: c.locator,
      passageId: c.passageId,
      text: c.text,
      score: c.score,
      ...(c.translation ? { translation: c.translation } : {}),
    })),
    ...(answer.notices.length ? { notices: answer.notices.map((n) => n.code) } : {}),
  };
}

async function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => Promise<void>): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) await onLine(line);
}

export function registerAskCommands(program: Command, io: CliIo = processIo()): void {
  program
    .command("ask")
    .description("answer a question from the reports, with citations")
    .argument("[question...]", "the question (omit with --jsonl)")
    .option("--json", "print one JSON object")
    .option("--jsonl", "read questions one per line on stdin, print one JSON object per line")
    .option("--lang <code>", "answer in this language (en, ru, kk, uz, uz-Cyrl, ky, tg)")
    .option("--staff", "answer as for NGO staff: cited passages unless the question is about someone's own situation")
    .action(async (words: string[], opts: { json?: boolean; jsonl?: boolean; lang?: string; staff?: boolean }) => {
      const locale = parseLocale(opts.lang);
      if (opts.lang && !locale) throw new Error(`--lang: unsupported language "${opts.lang}" (use en, ru, kk, uz, uz-Cyrl, ky or tg)`);
      const assistant = await createAssistant(loadConfig(io.env), { recordStats: false });
      const audience = opts.staff ? ("staff" as const) : ("migrant" as const);
      const ask = (q: string) => assistant.ask(q, { audience, ...(locale ? { locale } : {}) });
      if (opts.jsonl) {
        await readLines(io.stdin, async (line) => {
          io.stdout.write(`${JSON.stringify(answerJson(await ask(line)))}\n`);
        });
        return;
      }
      const answer = await ask(words.join(" "));
      io.stdout.write(opts.json ? `${JSON.stringify(answerJson(answer), null, 2)}\n` : `${formatAnswerText(answer, assistant.prompts)}\n`);
    });

  program
    .command("explain")
    .description("show how a message is understood (language, intent, triage by rules and model, check-in, route) and searched (terms, glossary concepts, rankings)")
    .argument("<question...>")
    .option("--lang <code>", "treat the question as this language")
    .action(async (words: string[], opts: { lang?: string }) => {
      const assistant = await createAssistant(loadConfig(io.env), { recordStats: false });
      const locale = parseLocale(opts.lang);
      const text = words.join(" ");
      const e = await assistant.explain(text, locale ? { locale } : {});
      const u = assistant.understand(text, locale ? { locale } : {});
      const pr = (xs: ReadonlyArray<{ label: string; p: number }> | undefined) => (xs ?? []).map((x) => `${x.label} ${x.p.toFixed(2)}`).join(", ") || "-";
      const t = u.triage;
      const route = (await assistant.respond(u, locale ? { locale } : {})).kind;
      const f = (x: number) => x.toFixed(4);
      const d = e.decision;
      const out = [
        "understanding (one pass):",
        `  language: ${u.language.tag} (${u.language.source}, ${u.language.confidence.toFixed(2)}; model: ${pr(u.language.top)})`,
        `  intent: ${u.intent ? `${pr(u.intent.top)}${u.intent.known ? "" : " (no known word: not trusted)"}` : "- (no models)"}` +
          (u.intent ? `; strongest words: ${assistant.understander.strongestWords(text, u.intent.label, "intent").map((w) => `${w.word} +${w.delta}`).join(", ") || "-"}` : ""),
        `  triage (rules decide): ${t.level}; indicators ${t.indicators.join(", ") || "-"}; rules ${t.rules.join(", ") || "-"}`,
        `  model (second net): ${t.model ? `${t.model.level} ${t.model.p.toFixed(2)}; indicators ${t.model.indicators.map((i) => `${i.id} ${i.p.toFixed(2)}`).join(", ") || "-"}` : "-"}`,
        `  check-in: ${t.check ? `"${t.check.text}" (yes → ${t.check.level}; ${t.check.reason})` : "-"}`,
        `  route: ${t.level !== "none" ? "safety reply, then " : t.check ? "check-in, then " : ""}${route}`,
        "",
        "passage search:",
        `language: ${e.language}   answer: ${e.confident}${d ? ` (p = ${d.p.toFixed(3)})` : ""}   card: ${e.card ?? "-"}`,
        `terms: ${e.query.terms.join(" ")}`,
        `own words: ${e.query.own.join(" ") || "-"}   years: ${e.query.years.join(" ") || "-"}`,
        `glossary: ${e.query.concepts.join(" | ") || "-"}   numbers: ${e.query.numbers.join(" ") || "-"}   asks a count: ${e.query.asksCount}   unexplained words: ${e.query.unexplained}`,
        ...(d ? [`decision features: ${Object.entries(d.features).map(([k, v]) => `${k} ${v.toFixed(2)}`).join("  ")}`] : []),
        "fused (score = lexical + dense + questions + translated + coverage + sentence + number + period):",
        ...e.hits.map(
          (h) =>
            `  ${f(h.score)} = ${f(h.parts.lexical)} + ${f(h.parts.dense)} + ${f(h.parts.questions)} + ${f(h.parts.native)} + ${f(h.parts.coverage)} + ${f(h.parts.sentence)} + ${f(h.parts.number)} + ${f(h.parts.period)}  coverage ${h.coverage.toFixed(2)}  ${h.locator}`,
        ),
        "lexical (BM25):",
        ...e.lexical.map((h) => `  ${h.score.toFixed(2)}  ${h.locator}`),
        "dense (cosine):",
        ...e.dense.map((h) => `  ${h.similarity.toFixed(2)}  ${h.locator}`),
        "questions field (BM25, English questions):",
        ...e.questions.map((h) => `  ${h.score.toFixed(2)}  ${h.locator}`),
        ...(e.ownQuestions.length ? ["questions field (BM25, questions in the asker's language):", ...e.ownQuestions.map((h) => `  ${h.score.toFixed(2)}  ${h.locator}`)] : []),
        ...(e.native.length ? ["translated passages (BM25 in the asker's language):", ...e.native.map((h) => `  ${h.score.toFixed(2)}  ${h.locator}`)] : []),
      ];
      io.stdout.write(`${out.join("\n")}\n`);
    });

  program
    .command("index")
    .description("rebuild the search index from knowledge/ and print what it holds")
    .action(async () => {
      const config = loadConfig(io.env);
      const started = performance.now();
      const corpus = loadCorpus(config.knowledgeDir);
      await createAssistant(config, { rebuildIndex: true, recordStats: false });
      const ms = performance.now() - started;
      io.stdout.write(
        `Indexed ${corpus.passages.length} passages from ${corpus.documents.length} documents in ${ms.toFixed(0)} ms ` +
          `(knowledge hash ${corpus.hash}, index in ${config.dataDir}).\n`,
      );
      for (const d of corpus.documents) io.stdout.write(`  ${d.id.padEnd(32)} ${String(d.passages.length).padStart(4)} passages  ${d.title}\n`);
    });

  program
    .command("eval")
    .description("evaluate on labelled development sets")
    .option("--qa <files...>", "questions with expected sources and answers (JSONL); lines without a source are out of scope and should be declined")
    .option("--staff", "ask as NGO staff through the full router (cards possible) instead of the passages only")
    .option("--english-only", "also ask each question without the translated passages' index (the English and glossary route alone) and print its recall@3 beside")
    .option("--langchain", "also run the LangChain recipe (1000/200 splitter + BM25Retriever, k = 3) on the same questions")
    .option("--no-misses", "print the figures only, not the missed questions (for held-out sets)")
    .option("--triage <file>", "messages with expected triage levels (JSONL)")
    .option("--cards <file>", "migrant questions with the expected guidance card (JSONL)")
    .option("--language <files...>", "language identification on labelled files (any of the sets above)")
    .action(async (opts: { qa?: string[]; triage?: string; cards?: string; language?: string[]; staff?: boolean; langchain?: boolean; englishOnly?: boolean; misses?: boolean }) => {
      if (!opts.qa && !opts.triage && !opts.cards && !opts.language) throw new Error("give at least one of --qa, --triage, --cards, --language");
      const config = loadConfig(io.env);
      let shared: Assistant | undefined;
      const getAssistant = async (): Promise<Assistant> => (shared ??= await createAssistant(config, { recordStats: false }));
      if (opts.qa) {
        const assistant: Assistant = await getAssistant();
        const baseline = opts.langchain ? await langchainBaseline(assistant, config.knowledgeDir) : undefined;
        const englishOnly = opts.englishOnly ? await createAssistant(config, { recordStats: false, nativeIndex: false }) : undefined;
        for (const file of opts.qa) {
          const report = await evaluateQa(assistant, readJsonl(file, qaAnyCaseSchema), {
            staff: opts.staff ?? false,
            ...(baseline ? { baseline } : {}),
            ...(englishOnly ? { englishOnly } : {}),
          });
          if (opts.misses === false) {
            report.misses = [];
            if (report.outOfScope) report.outOfScope.answered = [];
          }
          io.stdout.write(`${formatQaReport(report, `QA retrieval (${file}${opts.staff ? ", as staff" : ""})`)}\n`);
        }
      }
      if (opts.triage) {
        const assistant = await getAssistant();
        const report = evaluateTriageFile(opts.triage, { assess: (text) => assistant.triage(text) });
        io.stdout.write(`Triage (${opts.triage}):\n${formatTriageReport(report)}\n`);
      }
      if (opts.cards) {
        const report = evaluateCardsFile(opts.cards, join(config.knowledgeDir, "cards"));
        io.stdout.write(`Guidance cards, matcher alone (${opts.cards}):\n${formatCardsReport(report)}\n\n`);
        const assistant = await getAssistant();
        const routed = await evaluateRoutedCards(opts.cards, (q) => assistant.ask(q));
        io.stdout.write(`${formatRoutedCardsReport(routed)}\n`);
      }
      if (opts.language) {
        const assistant = await getAssistant();
        io.stdout.write(`${formatLanguageReport(evaluateLanguage(opts.language, (t) => assistant.detect(t)))}\n`);
      }
    });
}

/** The LangChain recipe of bench/ (a dev dependency), as a baseline retriever. */
async function langchainBaseline(assistant: Assistant, knowledgeDir: string): Promise<BaselineRetriever> {
  const { langchainRetriever } = await import("../../bench/langchain-baseline.ts");
  const lc = await langchainRetriever(assistant.corpus, knowledgeDir);
  return async (q) => (await lc.invoke(q)).map((d) => ({ source: String(d.metadata.source), text: d.pageContent }));
}
