/**
 * The question bank: YAML files directly in `knowledge/quiz/` (sub-folders such as `review/`
 * are not read, so generated proposals are never used until a person moves them in).
 *
 * `readBankFiles` parses and checks the structure of each entry (schema, option count, correct
 * index, distinct options, Telegram limits, translations) and names every bad entry;
 * `loadBank` returns the usable questions and throws if any entry is bad. Grounding in the
 * cited passages needs the corpus and is checked by `checkBank` (check.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseYaml as parse } from "../yaml-file.ts";
import type { Lang } from "../language/languages.ts";
import { projectPath } from "../paths.ts";
import { lineBreaks, normalizeText, numbersIn } from "./text.ts";
import {
  bankFileSchema,
  LIMITS,
  questionSchema,
  type BankQuestion,
  type LocalizedQuestion,
  type QuestionEntry,
  type Topic,
} from "./types.ts";

export const DEFAULT_BANK_DIR = projectPath("knowledge", "quiz");

export interface Problem {
  file: string;
  /** The entry's id, or `#<n>` (1-based position in the file) when it has none. */
  entry?: string;
  severity: "error" | "warning";
  message: string;
}

export class BankError extends Error {
  override name = "BankError";
  constructor(readonly problems: Problem[]) {
    super(`Quiz bank has ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`);
  }
}

export function formatProblem(p: Problem): string {
  return `${p.severity === "error" ? "ERROR" : "warn "} ${basename(p.file)}${p.entry ? ` [${p.entry}]` : ""}: ${p.message}`;
}

/** The bank files at `path`: the file itself, or the `.yaml`/`.yml` files directly in the folder. */
export function bankFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`Quiz bank not found: ${path}`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** Parses bank files; every entry that fails a structural rule is named in `problems`. */
export function readBankFiles(
  files: string[],
  options: StructureOptions = {},
): { questions: BankQuestion[]; problems: Problem[] } {
  const questions: BankQuestion[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let data: unknown;
    try {
      data = parse(readFileSync(file, "utf8"));
    } catch (err) {
      problems.push({ file, severity: "error", message: `cannot parse YAML: ${(err as Error).message}` });
      continue;
    }
    const shape = bankFileSchema.safeParse(data);
    if (!shape.success) {
      problems.push({ file, severity: "error", message: "must be a mapping with a `questions:` list" });
      continue;
    }
    shape.data.questions.forEach((raw, i) => {
      const rawId = raw && typeof raw === "object" && "id" in raw ? String((raw as { id: unknown }).id) : undefined;
      const entry = rawId ?? `#${i + 1}`;
      const parsed = questionSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          problems.push({ file, entry, severity: "error", message: `${issue.path.join(".") || "entry"} ${issue.message}` });
        }
        return;
      }
      const q = parsed.data;
      const own = structuralProblems(q, options).map((message): Problem => ({ file, entry, ...message }));
      const earlier = seen.get(q.id);
      if (earlier) own.push({ file, entry, severity: "error", message: `duplicate id (also in ${basename(earlier)})` });
      seen.set(q.id, file);
      problems.push(...own);
      if (!own.some((p) => p.severity === "error")) questions.push({ ...q, file });
    });
  }
  return { questions, problems };
}

type Finding = Pick<Problem, "severity" | "message">;

export interface StructureOptions {
  /** Accept entries still marked `review:` (when checking a file of generated proposals). */
  allowPendingReview?: boolean;
}

/** Rules that need no corpus: counts, index, distinct options, limits, translations. */
export function structuralProblems(q: QuestionEntry, options: StructureOptions = {}): Finding[] {
  const out: Finding[] = [];
  const error = (message: string) => out.push({ severity: "error", message });
  const warn = (message: string) => out.push({ severity: "warning", message });

  const versions: { lang: string; question: string; options: string[]; explanation: string }[] = [
    { lang: "en", question: q.question, options: q.options, explanation: q.explanation },
    ...Object.entries(q.translations ?? {}).map(([lang, t]) => ({ lang, ...t })),
  ];
  for (const v of versions) {
    const where = v.lang === "en" ? "" : ` (${v.lang})`;
    if (v.options.length < LIMITS.minOptions || v.options.length > LIMITS.maxOptions) {
      error(`has ${v.options.length} options${where}; needs ${LIMITS.minOptions}-${LIMITS.maxOptions}`);
    }
    if (v.question.length > LIMITS.question) error(`question is ${v.question.length} characters${where}; limit ${LIMITS.question}`);
    v.options.forEach((o, i) => {
      if (o.length > LIMITS.option) error(`option ${i + 1} is ${o.length} characters${where}; limit ${LIMITS.option}`);
      else if (o.length > LIMITS.slackButton) warn(`option ${i + 1} is ${o.length} characters${where}; Slack buttons show ${LIMITS.slackButton}`);
    });
    const normalized = v.options.map(normalizeText);
    const dup = normalized.findIndex((o, i) => normalized.indexOf(o) !== i);
    if (dup >= 0) error(`option ${dup + 1} repeats an earlier option${where}: "${v.options[dup]}"`);
    if (v.explanation.length > LIMITS.explanation) {
      error(`explanation is ${v.explanation.length} characters${where}; limit ${LIMITS.explanation}`);
    }
    if (lineBreaks(v.explanation) > LIMITS.explanationLineBreaks) {
      error(`explanation has ${lineBreaks(v.explanation)} line breaks${where}; limit ${LIMITS.explanationLineBreaks}`);
    }
  }
  if (q.correct >= q.options.length) error(`correct is ${q.correct} but there are only ${q.options.length} options (0 = first)`);

  for (const [lang, t] of Object.entries(q.translations ?? {})) {
    if (t.options.length !== q.options.length) {
      error(`translation ${lang} has ${t.options.length} options; English has ${q.options.length}`);
      continue;
    }
    t.options.forEach((o, i) => {
      if (numbersIn(o).join(" ") !== numbersIn(q.options[i]!).join(" ")) {
        error(`translation ${lang} option ${i + 1} has different numbers from English "${q.options[i]}"`);
      }
    });
  }
  const declared = new Set<string>(q.languages);
  const available = new Set(["en", ...Object.keys(q.translations ?? {})]);
  for (const lang of available) if (!declared.has(lang)) error(`languages does not list ${lang}, which has a translation`);
  for (const lang of declared) if (!available.has(lang)) error(`languages lists ${lang} but there is no translation`);
  if (q.review !== undefined && !options.allowPendingReview) error(`not reviewed yet (review: ${q.review})`);
  return out;
}

export interface SelectOptions {
  topic?: Topic | undefined;
  count?: number | undefined;
  /** Random numbers in [0, 1) for the sample; injectable for tests. */
  random?: () => number;
  /** The quiz's language: questions written in it come first (others, in English, only to fill up). */
  lang?: Lang | undefined;
}

export class QuizBank {
  private readonly byId: Map<string, BankQuestion>;

  constructor(readonly questions: readonly BankQuestion[]) {
    this.byId = new Map(questions.map((q) => [q.id, q]));
  }

  get(id: string): BankQuestion | undefined {
    return this.byId.get(id);
  }

  /** Each topic that has questions, with how many. */
  topics(): { topic: Topic; count: number }[] {
    const counts = new Map<Topic, number>();
    for (const q of this.questions) counts.set(q.topic, (counts.get(q.topic) ?? 0) + 1);
    return [...counts].map(([topic, count]) => ({ topic, count })).sort((a, b) => a.topic.localeCompare(b.topic));
  }

  /** A random sample of `count` questions (all of them when fewer), optionally from one topic. */
  select({ topic, count, random = Math.random, lang }: SelectOptions = {}): BankQuestion[] {
    const pool = this.questions.filter((q) => !topic || q.topic === topic);
    if (!lang || lang === "en") return shuffle(pool, random).slice(0, count ?? pool.length);
    // A Russian trainer's quiz is in Russian as far as the bank allows, not half English.
    const own = pool.filter((q) => q.languages.includes(lang));
    const others = pool.filter((q) => !q.languages.includes(lang));
    return [...shuffle(own, random), ...shuffle(others, random)].slice(0, count ?? pool.length);
  }

  /** How many questions (of a topic) are written in `lang`. */
  countIn(lang: Lang, topic?: Topic): number {
    return this.questions.filter((q) => (!topic || q.topic === topic) && q.languages.includes(lang)).length;
  }
}

/** The question in `lang` when translated, in English otherwise. */
export function localize(q: QuestionEntry, lang: Lang): LocalizedQuestion {
  const t = lang !== "en" ? q.translations?.[lang] : undefined;
  return {
    id: q.id,
    lang: t ? lang : "en",
    topic: q.topic,
    difficulty: q.difficulty,
    question: t?.question ?? q.question,
    options: [...(t?.options ?? q.options)],
    correct: q.correct,
    explanation: t?.explanation ?? q.explanation,
    citation: q.citation,
  };
}

/** Fisher-Yates on a copy. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Loads the bank; throws BankError naming every bad entry. */
export function loadBank(path: string = DEFAULT_BANK_DIR): QuizBank {
  const { questions, problems } = readBankFiles(bankFiles(path));
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length) throw new BankError(errors);
  return new QuizBank(questions);
}
