/**
 * The learned classifiers beside the rules, built from the training corpus by fastText:
 *
 * - `language`: en, ru, kk, uz, uz-Cyrl, ky, tg;
 * - `intent`: a guidance card id, `factual`, or a conversation intent (greeting, help_cry...);
 * - `level` and `indicators`: the risk a hotline worker would see. These are a second net
 *   beside the fixed rules, never above them: they can only lead to a gentle check-in question.
 *
 * `openModels()` loads the models from MODELS_DIR (`.cache/models/` by default) when they were built from the same
 * corpus and settings (file names carry both hashes), and otherwise trains them (a few seconds,
 * once) and saves them. A missing or corrupt model file is rebuilt with a warning naming it; if
 * training fails the assistant runs on the rules alone. `hotline train` rebuilds on purpose.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-file.ts";
import { type Classifier, loadClassifier, type Prediction, type TrainParams, trainSupervised } from "./fasttext.ts";
import { type Example, loadTrainingCorpus, type TrainingCorpus, trainingCorpusHash } from "./corpus.ts";
import { languageFeatures, meaningFeatures, surfaceWords } from "./features.ts";

export const MODEL_NAMES = ["language", "intent", "level", "indicators"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** No indicator disclosed (the `indicators` model's label for an empty list). */
export const NO_INDICATOR = "no_indicator";

/**
 * Measured on the development split (4,532 training lines): dim 16 and 20,000 buckets score as
 * well as dim 32 and 60,000 (intent 0.72 vs 0.67, level 0.86 vs 0.85, language 0.97 vs 0.98)
 * at a third of the size and a quarter of the training time; character 3–4-grams beat 2–5.
 */
const BASE: TrainParams = { epoch: 15, lr: 1.0, dim: 16, wordNgrams: 1, minn: 3, maxn: 4, bucket: 20000, minCount: 1, loss: "softmax", seed: 7 };

/** Training settings per model, chosen on the development split (see `hotline train`). */
export const DEFAULT_PARAMS: Record<ModelName, TrainParams> = {
  language: { ...BASE, minn: 1, maxn: 3 },
  intent: { ...BASE },
  level: { ...BASE },
  indicators: { ...BASE, loss: "ova" },
};

interface ModelSpec {
  features: (text: string) => string;
  labels: (e: Example) => string[];
}

const SPECS: Record<ModelName, ModelSpec> = {
  language: { features: languageFeatures, labels: (e) => [e.lang] },
  intent: { features: meaningFeatures, labels: (e) => [e.intent] },
  level: { features: meaningFeatures, labels: (e) => [e.level] },
  indicators: { features: meaningFeatures, labels: (e) => (e.indicators.length ? e.indicators : [NO_INDICATOR]) },
};

function lines(name: ModelName, examples: Example[]): string[] {
  const spec = SPECS[name];
  return examples.map((e) => `${spec.labels(e).map((l) => `__label__${l}`).join(" ")} ${spec.features(e.text)}`);
}

export class Models {
  constructor(
    private readonly classifiers: Record<ModelName, Classifier>,
    /** Corpus hash the models were built from. */
    readonly hash: string,
  ) {}

  predict(name: ModelName, text: string, k = 1): Prediction[] {
    return this.classifiers[name].predict(SPECS[name].features(text), k);
  }

  /** How many of the message's words the model saw in training (not counting n-grams). */
  knownWords(name: ModelName, text: string): number {
    return this.classifiers[name].knownWords(surfaceWords(text).join(" "));
  }

  labels(name: ModelName): string[] {
    return this.classifiers[name].labels;
  }
}

export interface DevReport {
  model: ModelName;
  examples: number;
  /** Top-1 accuracy (language, intent, level) or micro F1 (indicators). */
  score: number;
  perLabel: Array<{ label: string; support: number; precision: number; recall: number }>;
}

export interface OpenOptions {
  trainingDir: string;
  cardIds: readonly string[];
  /** Where model files are kept (MODELS_DIR; by default `.cache/models` in the project). */
  modelsDir: string;
  /**
   * More intent examples: the guidance cards' own phrasings (`questions` in knowledge/cards),
   * each labelled with its card. Part of the hash: editing a card's phrasings retrains.
   */
  extraIntent?: ReadonlyArray<{ text: string; intent: string }>;
  rebuild?: boolean;
  onWarning?: (message: string) => void;
  onInfo?: (message: string) => void;
}

function paramsHash(): string {
  return createHash("sha256").update(JSON.stringify(DEFAULT_PARAMS)).update("features-v2").digest("hex").slice(0, 8);
}

function modelFile(dir: string, name: ModelName, hash: string): string {
  return join(dir, `${name}-${hash}-${paramsHash()}.ftz`);
}

/** Trains one model on `examples`. */
export async function trainModel(name: ModelName, examples: Example[], extra: ReadonlyArray<{ text: string; intent: string }> = []): Promise<Uint8Array> {
  const more = extra.map((e) => `__label__${e.intent} ${meaningFeatures(e.text)}`);
  return trainSupervised([...lines(name, examples), ...more], DEFAULT_PARAMS[name]);
}

/** Loads the models built from the current corpus, training (and saving) those that are missing. */
export async function openModels(options: OpenOptions): Promise<{ models: Models; corpus?: TrainingCorpus; trained: ModelName[] }> {
  // The corpus is parsed and validated only when something must be trained: with the models
  // cached, start-up reads the files' bytes for the hash and loads the models.
  const extra = options.extraIntent ?? [];
  const hash = createHash("sha256").update(trainingCorpusHash(options.trainingDir)).update(JSON.stringify(extra)).digest("hex").slice(0, 16);
  let corpus: TrainingCorpus | undefined;
  const dir = options.modelsDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const classifiers = {} as Record<ModelName, Classifier>;
  const trained: ModelName[] = [];
  for (const name of MODEL_NAMES) {
    const file = modelFile(dir, name, hash);
    if (!options.rebuild && existsSync(file)) {
      try {
        classifiers[name] = await loadClassifier(new Uint8Array(readFileSync(file)));
        continue;
      } catch (err) {
        options.onWarning?.(`model file ${file} could not be read (${(err as Error).message}); rebuilding it`);
      }
    }
    corpus ??= loadTrainingCorpus(options.trainingDir, options.cardIds);
    const bytes = await trainModel(name, corpus.train, name === "intent" ? extra : []);
    classifiers[name] = await loadClassifier(bytes);
    writeFileAtomic(file, bytes, 0o600);
    trained.push(name);
  }
  if (corpus && trained.length) {
    options.onInfo?.(`trained ${trained.join(", ")} from ${corpus.train.length} examples`);
    removeStale(dir, hash);
  }
  return { models: new Models(classifiers, hash), ...(corpus ? { corpus } : {}), trained };
}

/** Model files of older corpora or settings. */
function removeStale(dir: string, hash: string): void {
  const keep = `-${hash}-${paramsHash()}.ftz`;
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".ftz") && !f.endsWith(keep)) rmSync(join(dir, f), { force: true });
  }
}

/** Scores each model on the development split (lines never trained on). */
export function evaluateDev(models: Models, dev: Example[]): DevReport[] {
  return MODEL_NAMES.map((name) => {
    const gold = (e: Example) => SPECS[name].labels(e);
    const counts = new Map<string, { support: number; tp: number; predicted: number }>();
    const bump = (label: string, field: "support" | "tp" | "predicted") => {
      const c = counts.get(label) ?? { support: 0, tp: 0, predicted: 0 };
      c[field]++;
      counts.set(label, c);
    };
    let right = 0;
    let tpAll = 0;
    let predAll = 0;
    let goldAll = 0;
    for (const e of dev) {
      const want = gold(e);
      const got =
        name === "indicators"
          ? models.predict(name, e.text, 12).filter((p) => p.p >= 0.5).map((p) => p.label)
          : models.predict(name, e.text, 1).map((p) => p.label);
      const gotSet = got.length ? got : name === "indicators" ? [NO_INDICATOR] : [];
      for (const l of want) bump(l, "support");
      for (const l of gotSet) {
        bump(l, "predicted");
        if (want.includes(l)) bump(l, "tp");
      }
      if (name !== "indicators" && gotSet[0] === want[0]) right++;
      const wantReal = want.filter((l) => l !== NO_INDICATOR);
      const gotReal = gotSet.filter((l) => l !== NO_INDICATOR);
      goldAll += wantReal.length;
      predAll += gotReal.length;
      tpAll += gotReal.filter((l) => wantReal.includes(l)).length;
    }
    const p = predAll ? tpAll / predAll : 0;
    const r = goldAll ? tpAll / goldAll : 0;
    const score = name === "indicators" ? (p + r ? (2 * p * r) / (p + r) : 0) : dev.length ? right / dev.length : 0;
    const perLabel = [...counts.entries()]
      .map(([label, c]) => ({ label, support: c.support, precision: c.predicted ? c.tp / c.predicted : 0, recall: c.support ? c.tp / c.support : 0 }))
      .sort((a, b) => b.support - a.support);
    return { model: name, examples: dev.length, score, perLabel };
  });
}
