/**
 * The dense half of retrieval: one unit vector per passage, searched exactly (a dot product
 * with every passage: 222 passages × 1,024 dimensions take ≈ 0.1 ms, less than a search through
 * an HNSW graph with its LangChain wrapper, and nothing is approximate). The vectors are kept
 * under DATA_DIR as a snapshot — `vectors.f32` (32-bit floats, one row per passage) beside
 * `stamp.json` (the knowledge hash, the embedder, the passage ids and the SHA-256 of the
 * vectors file) — and rebuilt when the knowledge or the embedder changes, or when the files are
 * missing or corrupt (with a warning naming the file).
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Passage } from "../knowledge/types.ts";
import type { TextEmbeddings } from "./embeddings.ts";
import { INDEX_TEXT_VERSION } from "./index-text.ts";

export interface DenseHit {
  passageId: string;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

interface Stamp {
  version: number;
  hash: string;
  embedder: string;
  passages: number;
  dimensions: number;
  ids: string[];
  /** SHA-256 of vectors.f32. */
  sha256: string;
}

const VERSION = 2;
const VECTORS = "vectors.f32";
const STAMP = "stamp.json";

export class VectorIndex {
  private constructor(
    private readonly ids: readonly string[],
    /** Unit rows, `dimensions` floats each. */
    private readonly vectors: Float32Array,
    private readonly dimensions: number,
    /** True when this process built the index, false when it was loaded from disk. */
    readonly built: boolean,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /**
   * Loads the snapshot saved in `dir` if it was built from the same knowledge (`hash`) with the
   * same embedder; otherwise embeds the passages and saves it. Never throws for a bad snapshot: it rebuilds.
   */
  static async open(options: {
    dir: string;
    hash: string;
    embedderName: string;
    embeddings: Pick<TextEmbeddings, "embedDocuments">;
    passages: Passage[];
    /** The text to embed for each passage id (see index-text.ts). */
    texts: Map<string, string>;
    rebuild?: boolean;
    onWarning?: (message: string) => void;
  }): Promise<VectorIndex> {
    const { dir, passages } = options;
    const ids = passages.map((p) => p.id);
    const wanted = { version: VERSION, hash: `${options.hash}/${INDEX_TEXT_VERSION}`, embedder: options.embedderName, passages: passages.length };
    if (!options.rebuild) {
      const loaded = await VectorIndex.load(dir, wanted, ids, options.onWarning);
      if (loaded) return loaded;
    }
    const rows = await options.embeddings.embedDocuments(passages.map((p) => options.texts.get(p.id) ?? p.text));
    const dimensions = rows[0]?.length ?? 0;
    const vectors = new Float32Array(rows.length * dimensions);
    rows.forEach((row, i) => vectors.set(unit(row), i * dimensions));
    const bytes = new Uint8Array(vectors.buffer);
    const stamp: Stamp = { ...wanted, dimensions, ids, sha256: sha256(bytes) };
    await saveAtomically(dir, bytes, stamp).catch((err: Error) => options.onWarning?.(`could not save the vector index to ${dir}: ${err.message}`));
    return new VectorIndex(ids, vectors, dimensions, true);
  }

  /** The `k` passages most similar to `vector` (cosine), best first. */
  async search(vector: number[], k = 20): Promise<DenseHit[]> {
    const { dimensions: dims, vectors } = this;
    if (vector.length !== dims || this.size === 0) return [];
    const q = unit(vector);
    // A hashed query vector has a few dozen non-zero dimensions: only those are multiplied.
    const at: number[] = [];
    for (let j = 0; j < dims; j++) if (q[j] !== 0) at.push(j);
    const scores = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      let dot = 0;
      const base = i * dims;
      for (const j of at) dot += q[j]! * vectors[base + j]!;
      scores[i] = dot;
    }
    // The best k by insertion (k is a few dozen of a few hundred): score descending, then passage order.
    const limit = Math.min(k, this.size);
    const best: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const s = scores[i]!;
      if (best.length === limit && s <= scores[best[limit - 1]!]!) continue;
      let at = best.length;
      while (at > 0 && scores[best[at - 1]!]! < s) at--;
      best.splice(at, 0, i);
      if (best.length > limit) best.pop();
    }
    return best.map((i) => ({ passageId: this.ids[i]!, similarity: scores[i]! }));
  }

  /** The saved snapshot when it matches `wanted` and its checksum; otherwise undefined (with a warning when it is damaged). */
  private static async load(
    dir: string,
    wanted: Omit<Stamp, "dimensions" | "ids" | "sha256">,
    ids: string[],
    onWarning?: (message: string) => void,
  ): Promise<VectorIndex | undefined> {
    let stamp: Stamp;
    try {
      stamp = JSON.parse(await readFile(join(dir, STAMP), "utf8")) as Stamp;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") onWarning?.(`vector index ${join(dir, STAMP)} is unreadable (${(err as Error).message}); rebuilding`);
      return undefined;
    }
    if (stamp.version !== wanted.version || stamp.hash !== wanted.hash || stamp.embedder !== wanted.embedder || stamp.passages !== wanted.passages) return undefined;
    const file = join(dir, VECTORS);
    try {
      const bytes = await readFile(file);
      const sameIds = Array.isArray(stamp.ids) && stamp.ids.length === ids.length && stamp.ids.every((id, i) => id === ids[i]);
      if (!sameIds || bytes.byteLength !== ids.length * stamp.dimensions * 4 || sha256(bytes) !== stamp.sha256) {
        onWarning?.(`vector index ${file} does not match its stamp (corrupt or half-written); rebuilding`);
        return undefined;
      }
      const vectors = new Float32Array(bytes.byteLength / 4);
      new Uint8Array(vectors.buffer).set(bytes);
      return new VectorIndex(ids, vectors, stamp.dimensions, false);
    } catch (err) {
      onWarning?.(`vector index ${file} is unreadable (${(err as Error).message}); rebuilding`);
      return undefined;
    }
  }
}

function unit(row: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(row);
  let norm = 0;
  for (const v of out) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes into a temporary folder, then swaps it in, so a crash never leaves half an index. */
async function saveAtomically(dir: string, vectors: Uint8Array, stamp: Stamp): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, VECTORS), vectors);
  await writeFile(join(tmp, STAMP), JSON.stringify(stamp));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
