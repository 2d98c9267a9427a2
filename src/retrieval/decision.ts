/**
 * The calibrated answer/decline decision: a logistic regression over features measured for each
 * question against its best passages, fitted by `scripts/fit-decision.ts` on a labelled
 * calibration set (in-scope questions from test/eval/qa-cases.jsonl, qa-colloquial.jsonl and qa-staff.jsonl,
 * out-of-scope questions from test/eval/qa-out-of-scope.jsonl and
 * test/eval/calibration-out-of-scope.jsonl) into `knowledge/decision-model.json`. The held-out
 * sets are never used for fitting.
 *
 * The model is linear in these features and in the product of every two of them (interaction
 * terms such as coverage × questions), standardised.
 *
 * Features (each 0..1 unless said):
 *   coverage     idf-weighted share of the question's term groups in the best-covering of the top 3
 *   topCoverage  the same for the first hit
 *   enough       1 when at least two distinctive terms (or the only one) are in that passage
 *   sentence     best share of the question held by one sentence of the first hit
 *   lexical      BM25 of the first lexical hit over the sum of the question terms' idf
 *   dense        cosine similarity of the first dense hit
 *   questions    best share of the question one of the top 3 passages' own questions holds
 *   yearMiss     1 when the question names a year that neither the first hit's text nor its
 *                document's period (nor its publication year) holds
 *   entityMiss   share of the question's names and figures (capitalised words, numbers that
 *                are not years) missing from the first hit
 *   unexplained  share of a non-English question's content words nothing could explain
 *   shortQuery   1 / number of the question's term groups
 *   oov          share of an English question's distinctive terms the reports never use
 *   missingRare  weight of the question's most distinctive term group missing from the first hit,
 *                over the weight of its most distinctive group ("patent" in "work patent cost")
 *   unknown      share of a non-English question's words (from four letters) nothing could explain
 *   contactAsk   1 when the question asks for an address, a phone number, an e-mail, a website or
 *                opening hours (the reports carry none: contact details were removed)
 *   amountMiss   1 when the question asks what something costs or pays and the first hit has no
 *                amount of money
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

export const FEATURES = [
  "coverage",
  "topCoverage",
  "enough",
  "sentence",
  "lexical",
  "dense",
  "questions",
  "yearMiss",
  "entityMiss",
  "unexplained",
  "shortQuery",
  "oov",
  "missingRare",
  "unknown",
  "contactAsk",
  "amountMiss",
] as const;
export type FeatureName = (typeof FEATURES)[number];
export type Features = Record<FeatureName, number>;

const modelSchema = z.object({
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
  threshold: z.number().min(0).max(1),
  fitted: z.string().optional(),
  calibration: z.record(z.string(), z.unknown()).optional(),
});
export type DecisionModelFile = z.infer<typeof modelSchema>;

export interface Decision {
  /** Probability that the reports answer the question. */
  p: number;
  answer: boolean;
  features: Features;
}

export class DecisionModel {
  constructor(readonly file: DecisionModelFile) {
    const n = file.features.length;
    if (file.mean.length !== n || file.std.length !== n || file.weights.length !== n) throw new Error("decision model: features, mean, std and weights differ in length");
    for (const f of file.features) {
      for (const part of f.split("*")) if (!(FEATURES as readonly string[]).includes(part)) throw new Error(`decision model: unknown feature "${f}"`);
    }
    this.parts = file.features.map((f) => f.split("*") as FeatureName[]);
  }

  static load(path: string): DecisionModel {
    if (!existsSync(path)) throw new Error(`decision model not found: ${path} (run npx tsx scripts/fit-decision.ts)`);
    const parsed = modelSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) throw new Error(`invalid decision model ${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return new DecisionModel(parsed.data);
  }

  /** The fallback when no fitted model is available: the old hand-set rule (coverage ≥ 0.35 and enough terms). */
  static handSet(): DecisionModel {
    const features = ["coverage", "enough"];
    return new DecisionModel({ features, mean: [0, 0], std: [1, 1], weights: [40, 40], bias: -54, threshold: 0.5, fitted: "hand-set fallback" });
  }

  /** Each model feature as the base features it multiplies. */
  private readonly parts: FeatureName[][];

  probability(f: Features): number {
    let z = this.file.bias;
    for (let i = 0; i < this.parts.length; i++) {
      let v = 1;
      for (const part of this.parts[i]!) v *= f[part];
      z += this.file.weights[i]! * ((v - this.file.mean[i]!) / (this.file.std[i]! || 1));
    }
    return 1 / (1 + Math.exp(-z));
  }

  decide(f: Features): Decision {
    const p = this.probability(f);
    return { p, answer: p >= this.file.threshold, features: f };
  }
}

/** A feature's value; "a*b" is the product of two features (the model's interaction terms). */
export function featureValue(f: Features, name: string): number {
  let v = 1;
  for (const part of name.split("*")) v *= f[part as FeatureName];
  return v;
}

/** The base features and every product of two of them: the inputs of the fitted model. */
export function expandedFeatures(): string[] {
  const out: string[] = [...FEATURES];
  FEATURES.forEach((a, i) => FEATURES.slice(i + 1).forEach((b) => out.push(`${a}*${b}`)));
  return out;
}

/** Fits an L2-regularised logistic regression by gradient descent on standardised features. */
export function fitLogistic(
  rows: Array<{ x: number[]; y: 0 | 1; weight?: number }>,
  options: { l2?: number; epochs?: number; rate?: number } = {},
): { mean: number[]; std: number[]; weights: number[]; bias: number } {
  const n = rows[0]?.x.length ?? 0;
  const mean = Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r.x[j]!, 0) / rows.length);
  const std = Array.from({ length: n }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.x[j]! - mean[j]!) ** 2, 0) / rows.length) || 1);
  const xs = rows.map((r) => r.x.map((v, j) => (v - mean[j]!) / std[j]!));
  const w = new Array<number>(n).fill(0);
  let b = 0;
  const { l2 = 0.01, epochs = 3000, rate = 0.1 } = options;
  const totalWeight = rows.reduce((s, r) => s + (r.weight ?? 1), 0);
  for (let e = 0; e < epochs; e++) {
    const gw = new Array<number>(n).fill(0);
    let gb = 0;
    rows.forEach((r, i) => {
      const x = xs[i]!;
      const z = b + x.reduce((s, v, j) => s + v * w[j]!, 0);
      const err = (1 / (1 + Math.exp(-z)) - r.y) * (r.weight ?? 1);
      for (let j = 0; j < n; j++) gw[j]! += err * x[j]!;
      gb += err;
    });
    for (let j = 0; j < n; j++) w[j]! -= rate * (gw[j]! / totalWeight + l2 * w[j]!);
    b -= rate * (gb / totalWeight);
  }
  return { mean, std, weights: w, bias: b };
}
