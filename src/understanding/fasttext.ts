/**
 * fastText (the WebAssembly build in `fasttext.wasm.js`) behind two calls: train a supervised
 * classifier from labelled lines, and load one from its bytes. Training runs on one thread with
 * a fixed seed, so the same corpus gives the same model on every machine.
 *
 * The package's own `trainSupervised` fetches its input by URL (no `file:` in Node's fetch), so
 * the lines are written into the module's in-memory file system and its `train` is called
 * directly with the same `Args` the package builds.
 *
 * Loading and predicting run in plain JavaScript (fasttext-model.ts: the same arithmetic, read
 * from the same bytes, without the WebAssembly start-up), so a process that only answers never
 * loads the WebAssembly build; a model that reader does not handle loads through WebAssembly.
 */
import type { getFastTextModule } from "fasttext.wasm.js";
import { FastTextJs, UnsupportedModel } from "./fasttext-model.ts";

type Module = Awaited<ReturnType<typeof getFastTextModule>>;

const wasm = () => import("fasttext.wasm.js");

let modulePromise: Promise<Module> | undefined;
function fastText(): Promise<Module> {
  const promise = modulePromise ?? wasm().then((m) => m.getFastTextModule());
  modulePromise = promise;
  return promise;
}

/** Training settings (fastText's own names); see `DEFAULT_PARAMS` in models.ts. */
export interface TrainParams {
  epoch: number;
  lr: number;
  dim: number;
  wordNgrams: number;
  minn: number;
  maxn: number;
  bucket: number;
  minCount: number;
  /** `softmax` for one label per line, `ova` (one-vs-all) for several. */
  loss: "softmax" | "ova" | "hs" | "ns";
  seed: number;
}

export interface Prediction {
  label: string;
  p: number;
}

/** A loaded classifier: predictions are synchronous and take microseconds. */
export interface Classifier {
  predict(text: string, k?: number, threshold?: number): Prediction[];
  /** How many of the (space-separated) words are in the model's vocabulary. */
  knownWords(text: string): number;
  readonly labels: string[];
}

let fileCounter = 0;

/** Trains on `lines` ("__label__x __label__y text") and returns the model file's bytes. */
export async function trainSupervised(lines: string[], params: TrainParams): Promise<Uint8Array> {
  // A fresh WebAssembly instance per training: after `saveModel` the module's next `train`
  // throws (seen with fasttext.wasm.js 1.0.0), and the instance's heap is freed with it.
  const mod = await (await wasm()).getFastTextModule();
  const n = ++fileCounter;
  const input = `/train-${n}.txt`;
  const output = `/model-${n}.bin`;
  mod.FS.writeFile(input, lines.join("\n") + "\n");
  const ft = new mod.FastText();
  try {
    const args = new mod.Args();
    args.input = input;
    args.output = output;
    args.model = mod.ModelName.supervised;
    args.loss = mod.LossName[params.loss];
    args.epoch = params.epoch;
    args.lr = params.lr;
    args.dim = params.dim;
    args.wordNgrams = params.wordNgrams;
    args.minn = params.minn;
    args.maxn = params.maxn;
    args.bucket = params.bucket;
    args.minCount = params.minCount;
    args.seed = params.seed;
    args.thread = 1;
    args.verbose = 0;
    ft.train(args, () => {});
    ft.saveModel(output);
    return new Uint8Array(mod.FS.readFile(output));
  } finally {
    for (const f of [input, output]) {
      try {
        mod.FS.unlink(f);
      } catch {
        /* not written */
      }
    }
    ft.delete();
  }
}

/** Loads a model from its bytes; throws when the bytes are not a fastText model. */
export async function loadClassifier(bytes: Uint8Array): Promise<Classifier> {
  let model: FastTextJs;
  try {
    model = FastTextJs.read(bytes);
  } catch (err) {
    if (err instanceof UnsupportedModel) return loadWasmClassifier(bytes);
    throw new Error(`not a fastText model (${err instanceof Error ? err.message : String(err)})`);
  }
  return {
    labels: model.labels,
    knownWords(text: string): number {
      let n = 0;
      for (const w of text.split(/\s+/)) if (w && model.wordId(w) >= 0) n++;
      return n;
    },
    predict(text: string, k = 1, threshold = 0): Prediction[] {
      const line = text.replace(/\s+/g, " ").trim();
      if (!line) return [];
      return model.predict(line, k, threshold).map(({ label, p }) => ({ label, p: Math.min(1, Math.max(0, p)) }));
    },
  };
}

/** The same through the WebAssembly build (models the JavaScript reader does not handle; tests compare the two). */
export async function loadWasmClassifier(bytes: Uint8Array): Promise<Classifier> {
  const [mod, { FastTextModel }] = await Promise.all([fastText(), wasm()]);
  const file = `/load-${++fileCounter}.bin`;
  mod.FS.writeFile(file, bytes);
  const ft = new mod.FastText();
  try {
    ft.loadModel(file);
  } catch (err) {
    ft.delete();
    throw new Error(`not a fastText model (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    mod.FS.unlink(file);
  }
  const model = new FastTextModel(ft, mod);
  const labelVector = model.getLabels()[0];
  const labels: string[] = [];
  for (let i = 0; i < labelVector.size(); i++) labels.push(strip(labelVector.get(i)));
  return {
    labels,
    knownWords(text: string): number {
      let n = 0;
      for (const w of text.split(/\s+/)) if (w && model.getWordId(w) >= 0) n++;
      return n;
    },
    predict(text: string, k = 1, threshold = 0): Prediction[] {
      const line = text.replace(/\s+/g, " ").trim();
      if (!line) return [];
      const vector = model.predict(line, k, threshold);
      const out: Prediction[] = [];
      for (let i = 0; i < vector.size(); i++) {
        const [p, label] = vector.get(i);
        out.push({ label: strip(label), p: Math.min(1, Math.max(0, p)) });
      }
      vector.delete?.();
      return out;
    },
  };
}

function strip(label: string): string {
  return label.startsWith("__label__") ? label.slice(9) : label;
}
