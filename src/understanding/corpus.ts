/**
 * The training corpus: `knowledge/training/*.jsonl`, one labelled message per line, written by
 * independent writers (see knowledge/training/README.md). Every line is validated; a bad line
 * stops training with the file, line and field named.
 *
 * A tenth of the lines (chosen by a hash of the id, so the choice is stable) is the development
 * split that `hotline train` reports on; the models learn from the rest. Held-out evaluation
 * sets live elsewhere (test/eval/) and are never read here.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseJsonl } from "../jsonl.ts";
import { ILO_INDICATORS, LEVELS } from "../triage/types.ts";

/** Language and script as the models see them: Uzbek in Cyrillic is its own class. */
export const LANG_TAGS = ["en", "ru", "kk", "uz", "uz-Cyrl", "ky", "tg"] as const;
export type LangTag = (typeof LANG_TAGS)[number];

/** The ILO forced-labour indicators a corpus line may carry (the triage rules' own list). */
export const INDICATORS = ILO_INDICATORS;
export type Indicator = (typeof ILO_INDICATORS)[number];

/** Intents besides the guidance-card ids. */
export const CONVERSATION_INTENTS = ["factual", "greeting", "thanks", "smalltalk", "help_cry", "crisis_detail", "yes", "no", "off_topic"] as const;
export type ConversationIntent = (typeof CONVERSATION_INTENTS)[number];

export const exampleSchema = z
  .object({
    id: z.string().min(1),
    text: z.string().min(1),
    lang: z.enum(LANG_TAGS),
    script: z.enum(["cyrl", "latn"]),
    level: z.enum(LEVELS),
    indicators: z.array(z.enum(INDICATORS)),
    /** A guidance card id or one of CONVERSATION_INTENTS (checked against the cards when loaded). */
    intent: z.string().min(1),
    style: z.string().optional(),
    review: z.enum(["draft", "reviewed"]).optional(),
  });
export type Example = z.infer<typeof exampleSchema>;

export interface TrainingCorpus {
  examples: Example[];
  train: Example[];
  dev: Example[];
  /** Hash of every file's content: models are rebuilt when it changes. */
  hash: string;
  files: string[];
}

export function isDev(id: string): boolean {
  return createHash("sha1").update(id).digest()[0]! % 10 === 0;
}

/** The corpus hash (of every file's name and bytes) without parsing it: enough to find cached models. */
export function trainingCorpusHash(dir: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    hash.update(name).update("\0").update(readFileSync(join(dir, name), "utf8")).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Loads and validates every `.jsonl` file in `dir`; `cardIds` are the valid card intents. */
export function loadTrainingCorpus(dir: string, cardIds: readonly string[]): TrainingCorpus {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort();
  } catch {
    throw new Error(`${dir}: the training corpus folder is missing`);
  }
  const intents = new Set<string>([...CONVERSATION_INTENTS, ...cardIds]);
  const hash = createHash("sha256");
  const examples: Example[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const text = readFileSync(file, "utf8");
    hash.update(name).update("\0").update(text).update("\0");
    for (const ex of parseJsonl(text, exampleSchema, file)) {
      if (!intents.has(ex.intent)) throw new Error(`${file}: ${ex.id}: unknown intent "${ex.intent}" (a card id or ${CONVERSATION_INTENTS.join(", ")})`);
      const other = seen.get(ex.id);
      if (other) throw new Error(`${file}: ${ex.id}: id already used in ${other}`);
      seen.set(ex.id, file);
      examples.push(ex);
    }
  }
  if (examples.length === 0) throw new Error(`${dir}: no training examples`);
  return {
    examples,
    train: examples.filter((e) => !isDev(e.id)),
    dev: examples.filter((e) => isDev(e.id)),
    hash: hash.digest("hex").slice(0, 16),
    files: names,
  };
}
