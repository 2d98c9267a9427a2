/**
 * Fits the answer/decline decision (src/retrieval/decision.ts) and writes
 * knowledge/decision-model.json:
 *
 *   npx tsx scripts/fit-decision.ts
 *
 * The calibration set: in-scope questions (label 1) from the shared dev set and our own
 * test/eval/qa-cases.jsonl, qa-colloquial.jsonl and qa-staff.jsonl (staff questions by kind); out-of-scope questions (label 0) from
 * test/eval/qa-out-of-scope.jsonl and test/eval/calibration-out-of-scope.jsonl. Held-out sets
 * (test/eval/heldout*) are never read here. In-scope questions whose passage is not in the first
 * three hits are left out (a retrieval miss, not an example of an answerable question). A third
 * of the writers' questions per passage join as in-scope questions too, each measured with its
 * fold held out of the questions index (so its own wording does not find it). The two classes are weighted equally; the threshold
 * is the highest probability that still declines at most MAX_IN_SCOPE_DECLINED of the in-scope
 * questions (a wrong "not in the reports" to a staff member costs more than a stray quote).
 */
import { writeFileSync } from "node:fs";
import { createAssistant } from "../src/app.ts";
import { Assistant } from "../src/assistant.ts";
import { loadQuestions, type PassageQuestion } from "../src/knowledge/questions.ts";
import { localeOf } from "../src/language/languages.ts";
import { loadConfig } from "../src/config.ts";
import { normalizeForMatch, qaAnyCaseSchema, readJsonl } from "../src/answers/evaluate.ts";
import { DecisionModel, expandedFeatures, featureValue, type Features, fitLogistic } from "../src/retrieval/decision.ts";
import { parseLocale } from "../src/language/languages.ts";
import { projectPath } from "../src/paths.ts";

const IN_SCOPE = [projectPath("test", "fixtures", "shared-eval", "qa-dev.jsonl"), projectPath("test", "eval", "qa-cases.jsonl"), projectPath("test", "eval", "qa-colloquial.jsonl"), projectPath("test", "eval", "qa-staff.jsonl")];
const OUT_OF_SCOPE = [projectPath("test", "eval", "qa-out-of-scope.jsonl"), projectPath("test", "eval", "calibration-out-of-scope.jsonl")];
const MAX_IN_SCOPE_DECLINED = 0.02;

const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" });
const assistant = await createAssistant(config);
/** Every how-many-th line of the questions per passage joins the calibration, in FOLDS folds. */
const QUESTION_SAMPLE_EVERY = 3;
const FOLDS = 5;
const NAMES = expandedFeatures();
const L2 = Number(process.env.FIT_L2 ?? 0.01);
const rows: Array<{ x: number[]; y: 0 | 1; weight: number; id: string }> = [];
let missed = 0;
const sets: Array<[string[], 0 | 1]> = [[IN_SCOPE, 1], [OUT_OF_SCOPE, 0]];
for (const [files, y] of sets) {
  const cases = files.flatMap((f) => readJsonl(f, qaAnyCaseSchema));
  for (const c of cases) {
    const locale = parseLocale(c.lang);
    const e = await assistant.explain(c.question, locale ? { locale } : {});
    const f = e.decision?.features;
    // No passage at all: nothing to decide, it is declined anyway.
    if (!f) continue;
    // An in-scope question whose right passage is not among the first three is a retrieval miss
    // either way: it does not teach the decision what an answerable question looks like.
    if (y === 1) {
      const answers = (c.answers ?? []).map(normalizeForMatch);
      const found = e.hits.slice(0, 3).some((h) => h.passageId.startsWith(`${c.source}:`) && answers.some((a) => normalizeForMatch(assistant.passage(h.passageId)!.text).includes(a)));
      if (!found) {
        missed++;
        continue;
      }
    }
    rows.push({ x: NAMES.map((n) => featureValue(f, n)), y, weight: 0, id: c.id });
  }
}
// The writers' questions per passage (knowledge/questions/) are paraphrase-rich in-scope
// questions in six languages. Each is measured with its own fold of questions held out of the
// index (five folds), and counts when its passage comes back among the first three hits.
const all = loadQuestions(projectPath("knowledge", "questions"), assistant.corpus);
const lines = [...all.byPassage].flatMap(([passage, qs]) => qs.map((q) => ({ passage, ...q })));
const sample = lines.filter((_, i) => i % QUESTION_SAMPLE_EVERY === 0);
let heldQuestions = 0;
for (let fold = 0; fold < FOLDS; fold++) {
  const held = sample.filter((_, i) => i % FOLDS === fold);
  const heldKeys = new Set(held.map((q) => `${q.passage}\n${q.lang}\n${q.question}`));
  const byPassage = new Map<string, PassageQuestion[]>();
  for (const q of lines) {
    if (heldKeys.has(`${q.passage}\n${q.lang}\n${q.question}`)) continue;
    byPassage.set(q.passage, [...(byPassage.get(q.passage) ?? []), { lang: q.lang, question: q.question }]);
  }
  const foldAssistant = await Assistant.create(config, { questions: { ...all, byPassage }, models: false });
  for (const q of held) {
    const e = await foldAssistant.explain(q.question, { locale: localeOf(q.lang) });
    const f = e.decision?.features;
    if (!f || !e.hits.slice(0, 3).some((h) => h.passageId === q.passage)) continue;
    rows.push({ x: NAMES.map((n) => featureValue(f, n)), y: 1, weight: 0, id: `q:${q.passage}:${q.lang}` });
    heldQuestions++;
  }
}

const pos = rows.filter((r) => r.y === 1).length;
const neg = rows.length - pos;
for (const r of rows) r.weight = r.y === 1 ? rows.length / (2 * pos) : rows.length / (2 * neg);
const fit = fitLogistic(rows, { l2: L2, epochs: 6000, rate: 0.5 });
const prob = (f: typeof fit, x: number[]) => 1 / (1 + Math.exp(-(f.bias + x.reduce((s, v, j) => s + f.weights[j]! * ((v - f.mean[j]!) / f.std[j]!), 0))));
const thresholdFor = (f: typeof fit, rs: typeof rows) => {
  const ps = rs.filter((r) => r.y === 1).map((r) => prob(f, r.x)).sort((a, b) => a - b);
  return Math.min(0.5, ps[Math.floor(MAX_IN_SCOPE_DECLINED * ps.length)] ?? 0.5);
};
// An honest estimate: five-fold cross-validation of the whole rule (fit, then the threshold).
let cvIn = 0;
let cvOut = 0;
for (let k = 0; k < 5; k++) {
  const train = rows.filter((_, i) => i % 5 !== k);
  const test = rows.filter((_, i) => i % 5 === k);
  const f = fitLogistic(train, { l2: L2, epochs: 3000, rate: 0.5 });
  const t = thresholdFor(f, train);
  cvIn += test.filter((r) => r.y === 1 && prob(f, r.x) < t).length;
  cvOut += test.filter((r) => r.y === 0 && prob(f, r.x) < t).length;
}
const model = new DecisionModel({ features: NAMES, ...fit, threshold: 0.5 });
// Rows hold the expanded values already: score them with the same weights directly.
const scored = rows.map((r) => ({ ...r, p: 1 / (1 + Math.exp(-(fit.bias + r.x.reduce((s, v, j) => s + fit.weights[j]! * ((v - fit.mean[j]!) / fit.std[j]!), 0)))) }));
void model;
void (null as unknown as Features);
const inScope = scored.filter((r) => r.y === 1).map((r) => r.p).sort((a, b) => a - b);
const threshold = Math.min(0.5, inScope[Math.floor(MAX_IN_SCOPE_DECLINED * inScope.length)] ?? 0.5);
const declinedIn = scored.filter((r) => r.y === 1 && r.p < threshold).length;
const declinedOut = scored.filter((r) => r.y === 0 && r.p < threshold).length;
const round = (x: number) => Math.round(x * 10000) / 10000;
const out = {
  features: NAMES,
  mean: fit.mean.map(round),
  std: fit.std.map(round),
  weights: fit.weights.map(round),
  bias: round(fit.bias),
  threshold: round(threshold),
  fitted: new Date().toISOString().slice(0, 10),
  calibration: {
    inScope: pos,
    inScopeRetrievalMissesLeftOut: missed,
    questionsPerPassageHeldOut: heldQuestions,
    outOfScope: neg,
    inScopeDeclined: round(declinedIn / pos),
    outOfScopeDeclined: round(declinedOut / neg),
    crossValidated: { inScopeDeclined: round(cvIn / pos), outOfScopeDeclined: round(cvOut / neg) },
    files: [...IN_SCOPE, ...OUT_OF_SCOPE].map((f) => f.replace(projectPath(), "").replace(/^\//, "")),
  },
};
writeFileSync(projectPath("knowledge", "decision-model.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(`fitted on ${pos} in-scope (${heldQuestions} of them questions per passage held out of the index; ${missed} retrieval misses left out) and ${neg} out-of-scope questions; threshold ${out.threshold}`);
console.log(`five-fold cross-validation: in-scope declined ${(cvIn / pos).toFixed(3)}, out-of-scope declined ${(cvOut / neg).toFixed(3)}`);
console.log(`calibration: in-scope declined ${declinedIn}/${pos}, out-of-scope declined ${declinedOut}/${neg}`);
if (process.argv.includes("--weights")) NAMES.forEach((n, i) => console.log(`  ${n.padEnd(24)} ${out.weights[i]!.toFixed(3)}`));
const q = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))]!.toFixed(3);
const outP = scored.filter((r) => r.y === 0).map((r) => r.p).sort((a, b) => a - b);
console.log(`in-scope p at 1/2/3/5/10 %: ${[0.01, 0.02, 0.03, 0.05, 0.1].map((f) => q(inScope, f)).join(" ")}; out-of-scope p at 50/80/90 %: ${[0.5, 0.8, 0.9].map((f) => q(outP, f)).join(" ")}`);
if (process.argv.includes("--wrong")) for (const r of scored.filter((r) => (r.y === 0) === r.p >= threshold)) console.log(`  wrong: ${r.id} p=${r.p.toFixed(3)}`);
