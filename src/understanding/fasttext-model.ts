/**
 * fastText supervised models read and run in plain JavaScript: the file's dictionary and the
 * two dense matrices are read straight from its bytes, and a prediction is the same arithmetic
 * as fastText's own `predict` (the words' and character n-grams' input rows averaged, times the
 * output matrix, softmax or one-vs-all sigmoid), in 32-bit floats like the C++ (each token's
 * rows are summed once and remembered, so probabilities differ from fastText's by ~1e-6 at most).
 *
 * Why not the WebAssembly build for this: loading the four models through it copied each file
 * into the module's file system and parsed it there, about 40% of `hotline ask` from a fresh
 * process, and every prediction crossed into WebAssembly and back with strings and vectors.
 * Training still runs in the WebAssembly build (fasttext.ts); test/understanding-fasttext.test.ts
 * checks that both give the same predictions on models it trains.
 *
 * Only what this project trains is read: dense (not quantized) models with softmax or
 * one-vs-all loss. Anything else throws `UnsupportedModel`, and the caller uses WebAssembly.
 */

export interface JsPrediction {
  label: string;
  p: number;
}

export class UnsupportedModel extends Error {
  override name = "UnsupportedModel";
}

const MAGIC = 793712314;
const VERSION = 12;
const LOSS_SOFTMAX = 3;
const LOSS_OVA = 4;
const MODEL_SUPERVISED = 3;
const ENTRY_LABEL = 1;
const EOS = "</s>";
const MAX_SIGMOID = 8;
const SIGMOID_TABLE_SIZE = 512;
const f = Math.fround;
/** Tokens whose input rows are remembered. */
const TOKEN_CACHE = 50_000;

let sigmoidTable: Float32Array | undefined;
function sigmoid(x: number): number {
  if (!sigmoidTable) {
    sigmoidTable = new Float32Array(SIGMOID_TABLE_SIZE + 1);
    for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
      const v = f(f(i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE - MAX_SIGMOID);
      sigmoidTable[i] = 1 / (1 + Math.exp(-v));
    }
  }
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return sigmoidTable[Math.trunc(f(f(f(f(x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID) / 2))]!;
}

/** fastText's hash: 32-bit FNV-1a over the UTF-8 bytes, each byte sign-extended first. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= (bytes[i]! << 24) >> 24;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const encoder = new TextEncoder();

/** The dictionary kept as its UTF-8 bytes with an open-addressing table (no string per word). */
class Dictionary {
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
  ) {
    let size = 1;
    while (size < starts.length * 2) size <<= 1;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let id = 0; id < starts.length; id++) {
      let slot = hashBytes(bytes, starts[id]!, ends[id]!) & this.mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = id;
    }
  }

  /** The entry id of a word's UTF-8 bytes, -1 when absent. */
  find(word: Uint8Array): number {
    let slot = hashBytes(word, 0, word.length) & this.mask;
    for (;;) {
      const id = this.table[slot]!;
      if (id === -1) return -1;
      const start = this.starts[id]!;
      if (this.ends[id]! - start === word.length) {
        let same = true;
        for (let i = 0; i < word.length; i++) {
          if (this.bytes[start + i] !== word[i]) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

export class FastTextJs {
  private readonly tokenRows = new Map<string, Int32Array>();
  /** Per token: the sum of its input rows (32-bit floats) and how many rows were summed. */
  private readonly tokenSums = new Map<string, { sum: Float32Array; rows: number }>();
  private readonly hidden: Float32Array;
  private readonly output: Float32Array;

  private constructor(
    private readonly dim: number,
    private readonly minn: number,
    private readonly maxn: number,
    private readonly bucket: number,
    private readonly loss: number,
    private readonly nwords: number,
    private readonly dictionary: Dictionary,
    readonly labels: string[],
    private readonly input: Float32Array,
    private readonly out: Float32Array,
  ) {
    this.hidden = new Float32Array(dim);
    this.output = new Float32Array(labels.length);
  }

  /** Reads a model file's bytes; throws on anything that is not a fastText model this reader runs. */
  static read(bytes: Uint8Array): FastTextJs {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    const need = (n: number) => {
      if (at + n > bytes.byteLength) throw new Error("file ends early");
    };
    const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
    const i64 = () => (need(8), (at += 8), Number(view.getBigInt64(at - 8, true)));
    const u8 = () => (need(1), bytes[at++]!);
    if (bytes.byteLength < 8 || i32() !== MAGIC) throw new Error("not a fastText model file");
    if (i32() !== VERSION) throw new UnsupportedModel("fastText file version");
    const [dim, , , , , wordNgrams, loss, model, bucket, minn, maxn] = Array.from({ length: 12 }, i32);
    need(8);
    at += 8; // t (sampling threshold, a double): not used to predict
    if (model !== MODEL_SUPERVISED) throw new UnsupportedModel("not a supervised model");
    if (loss !== LOSS_SOFTMAX && loss !== LOSS_OVA) throw new UnsupportedModel(`loss ${loss}`);
    if (wordNgrams! > 1) throw new UnsupportedModel("word n-grams");
    const size = i32();
    const nwords = i32();
    const nlabels = i32();
    if (size !== nwords + nlabels || nwords < 0 || nlabels <= 0) throw new Error("dictionary sizes do not match");
    i64(); // ntokens
    const pruned = i64();
    if (pruned >= 0) throw new UnsupportedModel("pruned dictionary");
    // Entries are "word\0", count (int64), type (int8): words first, then labels.
    const dictStart = at;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const labels: string[] = [];
    const decoder = new TextDecoder("utf-8");
    for (let id = 0; id < size; id++) {
      const end = bytes.indexOf(0, at);
      if (end < 0) throw new Error("file ends early");
      starts[id] = at - dictStart;
      ends[id] = end - dictStart;
      const start = at;
      at = end + 1;
      need(9);
      at += 8; // count
      const isLabel = u8() === ENTRY_LABEL;
      if (isLabel !== id >= nwords) throw new UnsupportedModel("dictionary order");
      if (isLabel) {
        const label = decoder.decode(bytes.subarray(start, end));
        labels.push(label.startsWith("__label__") ? label.slice(9) : label);
      }
    }
    const dictionary = new Dictionary(bytes.slice(dictStart, at), starts, ends);
    const matrix = (rows: number, cols: number) => {
      const m = i64();
      const n = i64();
      if (m !== rows || n !== cols) throw new Error(`matrix is ${m}×${n}, expected ${rows}×${cols}`);
      need(m * n * 4);
      const data = new Float32Array(m * n);
      new Uint8Array(data.buffer).set(bytes.subarray(at, at + m * n * 4));
      at += m * n * 4;
      return data;
    };
    if (u8() !== 0) throw new UnsupportedModel("quantized input");
    const input = matrix(nwords + bucket!, dim!);
    if (u8() !== 0) throw new UnsupportedModel("quantized output");
    const out = matrix(nlabels, dim!);
    return new FastTextJs(dim!, minn!, maxn!, bucket!, loss!, nwords, dictionary, labels, input, out);
  }

  /** The dictionary id of a word (or `__label__x`), -1 when unknown: fastText's `getWordId`. */
  wordId(word: string): number {
    return this.dictionary.find(encoder.encode(word));
  }

  /**
   * Input rows of one token: its own row (when known) and its character n-grams' buckets.
   * Remembered (a bounded cache, emptied when full) only for words of the model's own
   * dictionary, which come from the training corpus: a word only a person typed (a name, a
   * place, an address) is never kept.
   */
  private rows(token: string): Int32Array {
    let rows = this.tokenRows.get(token);
    if (rows) return rows;
    const wid = this.wordId(token);
    const list: number[] = wid >= 0 ? [wid] : [];
    if (token !== EOS && (wid < 0 || this.maxn > 0)) this.ngrams(token, list);
    rows = Int32Array.from(list);
    if (wid >= 0) {
      if (this.tokenRows.size >= TOKEN_CACHE) this.tokenRows.clear();
      this.tokenRows.set(token, rows);
    }
    return rows;
  }

  /** fastText's `computeSubwords` of `<token>`: n-grams of whole UTF-8 characters, minn..maxn long. */
  private ngrams(token: string, into: number[]): void {
    if (this.maxn <= 0) return;
    const word = encoder.encode(`<${token}>`);
    const size = word.length;
    for (let i = 0; i < size; i++) {
      if ((word[i]! & 0xc0) === 0x80) continue;
      for (let j = i, n = 1; j < size && n <= this.maxn; n++) {
        j++;
        while (j < size && (word[j]! & 0xc0) === 0x80) j++;
        if (n >= this.minn && !(n === 1 && (i === 0 || j === size))) into.push(this.nwords + (hashBytes(word, i, j) % this.bucket));
      }
    }
  }

  /**
   * A token's input rows summed once (remembered like its rows, dictionary words only): a message adds one vector per
   * token instead of one per character n-gram. The sums round in another order than fastText's
   * running sum, which moves probabilities by about 1e-7.
   */
  private tokenSum(token: string): { sum: Float32Array; rows: number } {
    let cached = this.tokenSums.get(token);
    if (cached) return cached;
    const rows = this.rows(token);
    const sum = new Float32Array(this.dim);
    for (let r = 0; r < rows.length; r++) {
      const base = rows[r]! * this.dim;
      for (let j = 0; j < this.dim; j++) sum[j] = sum[j]! + this.input[base + j]!;
    }
    cached = { sum, rows: rows.length };
    if (this.tokenRows.get(token) === rows) {
      // a dictionary word (see rows)
      if (this.tokenSums.size >= TOKEN_CACHE) this.tokenSums.clear();
      this.tokenSums.set(token, cached);
    }
    return cached;
  }

  /** The same as fastText's `predict(text, k, threshold)` (the text is one line). */
  predict(text: string, k = 1, threshold = 0): JsPrediction[] {
    const { dim, hidden, output, out } = this;
    hidden.fill(0);
    let count = 0;
    const tokens = text.split(/[ \n\r\t\v\f\0]+/);
    tokens.push(EOS);
    for (const token of tokens) {
      if (!token) continue;
      const { sum, rows } = this.tokenSum(token);
      for (let j = 0; j < dim; j++) hidden[j] = hidden[j]! + sum[j]!;
      count += rows;
    }
    if (count === 0) return [];
    const scale = f(1 / count);
    for (let j = 0; j < dim; j++) hidden[j] = hidden[j]! * scale;
    for (let i = 0; i < output.length; i++) {
      let d = 0;
      const base = i * dim;
      for (let j = 0; j < dim; j++) d = f(d + f(out[base + j]! * hidden[j]!));
      output[i] = d;
    }
    if (this.loss === LOSS_SOFTMAX) {
      let max = output[0]!;
      for (const v of output) max = Math.max(v, max);
      let z = 0;
      for (let i = 0; i < output.length; i++) {
        output[i] = Math.exp(f(output[i]! - max));
        z = f(z + output[i]!);
      }
      for (let i = 0; i < output.length; i++) output[i] = output[i]! / z;
    } else {
      for (let i = 0; i < output.length; i++) output[i] = sigmoid(output[i]!);
    }
    const limit = k < 0 ? output.length : Math.min(k, output.length);
    const t = f(threshold);
    const result: JsPrediction[] = [];
    // Top `limit` by probability (ties: the lower label id first), as fastText's heap keeps them.
    const taken = new Uint8Array(output.length);
    while (result.length < limit) {
      let pick = -1;
      for (let i = 0; i < output.length; i++) if (!taken[i] && output[i]! >= t && (pick < 0 || output[i]! > output[pick]!)) pick = i;
      if (pick < 0) break;
      taken[pick] = 1;
      result.push({ label: this.labels[pick]!, p: f(Math.exp(f(Math.log(output[pick]! + 1e-5)))) });
    }
    return result;
  }
}
