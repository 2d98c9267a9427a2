/**
 * The plain-JavaScript fastText reader (src/understanding/fasttext-model.ts) against the
 * WebAssembly build on models trained here: the same labels with the same probabilities (to
 * 1e-5: token sums round in another order), the same known words; bytes that are not a model
 * are refused.
 */
import { describe, expect, it } from "vitest";
import { loadClassifier, loadWasmClassifier, trainSupervised, type TrainParams } from "../src/understanding/fasttext.ts";

const PARAMS: TrainParams = { epoch: 10, lr: 1.0, dim: 8, wordNgrams: 1, minn: 2, maxn: 4, bucket: 2000, minCount: 1, loss: "softmax", seed: 7 };

const LINES = [
  "__label__wages they did not pay my salary for three months",
  "__label__wages работодатель не платит зарплату",
  "__label__passport my boss keeps my passport",
  "__label__passport забрали паспорт и не отдают",
  "__label__greeting hello",
  "__label__greeting салам, қалыңыз қалай",
  "__label__factual how many victims were identified in 2020",
  "__label__factual сколько звонков поступило на горячую линию",
];

const PROBES = [
  "they keep my passport",
  "не платят зарплату уже два месяца",
  "salom", // unknown word: character n-grams only
  "how many calls in 2021?",
  "ñandú 😀 Ўзбекистон",
  "hello   hello\tpassport",
  "x",
];

async function pair(params: TrainParams, lines = LINES) {
  const bytes = await trainSupervised(lines, params);
  return { js: await loadClassifier(bytes), wasm: await loadWasmClassifier(bytes) };
}

function expectSame(js: Awaited<ReturnType<typeof loadClassifier>>, wasm: Awaited<ReturnType<typeof loadClassifier>>) {
  expect(js.labels).toEqual(wasm.labels);
  for (const text of PROBES) {
    const a = js.predict(text, 10);
    const b = wasm.predict(text, 10);
    expect(a.map((p) => p.label).sort()).toEqual(b.map((p) => p.label).sort());
    const byLabel = new Map(b.map((p) => [p.label, p.p]));
    for (const p of a) expect(Math.abs(p.p - byLabel.get(p.label)!)).toBeLessThan(1e-5);
    // The best label (two labels with the very same probability may come in either order).
    expect(js.predict(text, 1)[0]!.p).toBeCloseTo(wasm.predict(text, 1)[0]!.p, 5);
    expect(js.knownWords(text)).toBe(wasm.knownWords(text));
  }
  expect(js.predict("   ")).toEqual([]);
}

describe("fastText in JavaScript", () => {
  it("predicts what the WebAssembly build predicts (softmax)", async () => {
    const { js, wasm } = await pair(PARAMS);
    expectSame(js, wasm);
  });

  it("predicts what the WebAssembly build predicts (one-vs-all, several labels a line)", async () => {
    const lines = [...LINES, "__label__wages __label__passport no salary and they took my passport"];
    const { js, wasm } = await pair({ ...PARAMS, loss: "ova", minn: 1, maxn: 3 }, lines);
    expectSame(js, wasm);
  });

  it("refuses bytes that are not a model", async () => {
    await expect(loadClassifier(new TextEncoder().encode("not a model at all"))).rejects.toThrow(/not a fastText model/);
    const bytes = await trainSupervised(LINES, PARAMS);
    await expect(loadClassifier(bytes.slice(0, bytes.length >> 1))).rejects.toThrow(/not a fastText model/);
  });
});
