import { describe, expect, it } from "vitest";
import { writeFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { VectorIndex } from "../src/retrieval/vector-index.ts";
import { HashingEmbeddings } from "../src/retrieval/embeddings.ts";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { indexTexts } from "../src/retrieval/index-text.ts";
import { projectPath } from "../src/paths.ts";
import { testConfig } from "./helpers/assistant.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const embeddings = new HashingEmbeddings();

function open(dir: string, hash = corpus.hash, warnings: string[] = []) {
  return VectorIndex.open({
    dir,
    hash,
    embedderName: embeddings.name,
    embeddings,
    passages: corpus.passages,
    texts: indexTexts(corpus),
    onWarning: (m) => warnings.push(m),
  });
}

describe("persisted vector index", () => {
  it("builds once, then loads from the data folder", async () => {
    const dir = join(testConfig({}, { index: false }).dataDir, "index");
    const first = await open(dir);
    expect(first.built).toBe(true);
    expect(existsSync(join(dir, "vectors.f32"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "stamp.json"), "utf8")).passages).toBe(corpus.passages.length);
    const second = await open(dir);
    expect(second.built).toBe(false);
    const v = embeddings.embed("hotline calls 2020");
    expect((await first.search(v, 3)).map((h) => h.passageId)).toEqual((await second.search(v, 3)).map((h) => h.passageId));
  });

  it("rebuilds when the knowledge changes", async () => {
    const dir = join(testConfig({}, { index: false }).dataDir, "index");
    await open(dir);
    expect((await open(dir, "another-hash")).built).toBe(true);
  });

  it("rebuilds a corrupt or half-written index instead of crashing, with a warning naming the file", async () => {
    const dir = join(testConfig({}, { index: false }).dataDir, "index");
    const first = await open(dir);
    const v = embeddings.embed("hotline calls 2020");
    const expected = (await first.search(v, 5)).map((h) => h.passageId);
    writeFileSync(join(dir, "stamp.json"), "{not json");
    const warnings: string[] = [];
    const reopened = await open(dir, corpus.hash, warnings);
    expect(reopened.built).toBe(true);
    expect(warnings.join(" ")).toMatch(/stamp\.json.*rebuilding/);
    // Same length, one flipped byte: the checksum catches it.
    const bytes = readFileSync(join(dir, "vectors.f32"));
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(join(dir, "vectors.f32"), bytes);
    warnings.length = 0;
    const repaired = await open(dir, corpus.hash, warnings);
    expect(repaired.built).toBe(true);
    expect(warnings.join(" ")).toMatch(/vectors\.f32.*rebuilding/);
    expect((await repaired.search(v, 5)).map((h) => h.passageId)).toEqual(expected);
    writeFileSync(join(dir, "vectors.f32"), Buffer.from([1, 2, 3]));
    expect((await open(dir)).built).toBe(true);
    expect((await open(dir)).built).toBe(false);
  });

  it("finds the passage whose own text is the query first (exact search)", async () => {
    const index = await open(join(testConfig({}, { index: false }).dataDir, "index"));
    const texts = indexTexts(corpus);
    for (const p of corpus.passages.slice(0, 20)) {
      const [best] = await index.search(embeddings.embed(texts.get(p.id) ?? p.text), 1);
      expect(best!.passageId).toBe(p.id);
      expect(best!.similarity).toBeCloseTo(1, 5);
    }
  });

  it("gives identical vectors for identical text (deterministic, offline embedder)", () => {
    const a = embeddings.embed("victims identified in 2020");
    const b = new HashingEmbeddings().embed("victims identified in 2020");
    expect(a).toEqual(b);
    expect(a.length).toBe(1024);
    expect(Math.abs(a.reduce((s, x) => s + x * x, 0) - 1)).toBeLessThan(1e-9);
  });
});

describe("lexical retriever", () => {
  it("is a LangChain retriever returning passages with BM25 scores, best first", async () => {
    const { LexicalIndex } = await import("../src/retrieval/lexical.ts");
    const index = new LexicalIndex(corpus.passages, indexTexts(corpus));
    const docs = await (await index.asRetriever()).invoke("hotline calls 1,341");
    expect(docs[0]!.pageContent).toContain("1,341 phone calls");
    const scores = docs.map((d) => d.metadata.bm25Score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(index.search(["nonexistentterm"])).toEqual([]);
  });
});

describe("optional neural embedder", () => {
  it("fails with a message that says how to install it or go back to the offline embedder", async () => {
    const { createEmbeddings } = await import("../src/retrieval/create-embeddings.ts");
    await expect(createEmbeddings({ EMBEDDINGS: "transformers", EMBEDDINGS_MODEL: "Xenova/multilingual-e5-small" })).rejects.toThrow(
      /EMBEDDINGS=transformers could not load the model "Xenova\/multilingual-e5-small"[\s\S]*npm install @huggingface\/transformers[\s\S]*unset EMBEDDINGS/,
    );
    const { name } = await createEmbeddings({ EMBEDDINGS: "hashing", EMBEDDINGS_MODEL: "unused" });
    expect(name).toBe("hashing-v1");
  });
});
