/**
 * The small pattern language of `knowledge/triage/rules.yaml`, compiled into fast matchers.
 *
 * A pattern is a list of groups; every group must be found in the same sentence, in any order.
 * A group is alternatives separated by " | ". An alternative is a phrase: words in this order,
 * next to each other. A word is one or more atoms separated by "/":
 *
 *   passport      the word, also with one typo when it is 7+ letters long ("pasport", "pasprot")
 *   passport*     any word starting with "passport" (typo-tolerant from 7 letters)
 *   =passport     exactly this word, no typo tolerance
 *   NEG           any negation word of any language ("not", "не", "hech"...)
 *   <regex>       a JavaScript regex tested on the folded word, e.g. <^(1[0-7]|[1-9])$>
 *   $name         a word list from the `lexicon` section, in the pattern's language
 *   ...           up to three other words in between (only inside a phrase)
 *
 * Everything is compared after `looseKey` folding, so patterns may be written in the script
 * people use (Cyrillic for Russian, Kazakh, Kyrgyz, Tajik; Latin for Uzbek) and still match
 * the other script.
 */
import { looseKey } from "./normalize.ts";

export const GAP_MAX = 3;
/** Words shorter than this (after folding) are only matched exactly. */
export const FUZZY_MIN = 7;

export type AtomKind = "exact" | "prefix" | "neg" | "regex";

export interface Atom {
  kind: AtomKind;
  value: string;
  fuzzy: boolean;
  re?: RegExp;
}

export type Word = { gap: false; atoms: number[] } | { gap: true; max: number };

export interface Phrase {
  words: Word[];
  /** True when the phrase itself carries a negation (then the negation filter is skipped). */
  negated: boolean;
  source: string;
}

export interface Group {
  phrases: Phrase[];
  source: string;
  /** Atoms any phrase of the group starts with: a quick "can this group match at all" test. */
  firstAtoms: Set<number>;
}

export class PatternSyntaxError extends Error {}

/** Interns atoms so each distinct atom is tested once per token. */
export class AtomTable {
  readonly atoms: Atom[] = [];
  private readonly ids = new Map<string, number>();
  private readonly exact = new Map<string, number[]>();
  private readonly prefix = new Map<string, number[]>();
  private readonly fuzzyExact = new Map<string, number[]>();
  private readonly fuzzyPrefix = new Map<string, number[]>();
  private readonly regexes: number[] = [];
  private maxStem = 0;
  private negId = -1;
  private readonly cache = new Map<string, number[]>();

  constructor(readonly negators: ReadonlySet<string>) {}

  intern(atom: Atom): number {
    const key = `${atom.kind}:${atom.fuzzy ? "~" : ""}${atom.value}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.atoms.length;
    this.atoms.push(atom);
    this.ids.set(key, id);
    this.cache.clear();
    const push = (map: Map<string, number[]>, k: string) => {
      const list = map.get(k);
      if (list) list.push(id);
      else map.set(k, [id]);
    };
    switch (atom.kind) {
      case "exact":
        push(this.exact, atom.value);
        if (atom.fuzzy) for (const d of deletions(atom.value)) push(this.fuzzyExact, d);
        break;
      case "prefix":
        push(this.prefix, atom.value);
        this.maxStem = Math.max(this.maxStem, atom.value.length);
        if (atom.fuzzy) for (const d of deletions(atom.value)) push(this.fuzzyPrefix, d);
        break;
      case "neg":
        this.negId = id;
        break;
      case "regex":
        this.regexes.push(id);
        break;
    }
    return id;
  }

  /** The ids of every atom that matches the folded word `token`. */
  match(token: string): number[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const out = new Set<number>();
    for (const id of this.exact.get(token) ?? []) out.add(id);
    const top = Math.min(token.length, this.maxStem);
    for (let i = 1; i <= top; i++) for (const id of this.prefix.get(token.slice(0, i)) ?? []) out.add(id);
    if (this.negId >= 0 && this.negators.has(token)) out.add(this.negId);
    for (const id of this.regexes) if (this.atoms[id]!.re!.test(token)) out.add(id);
    if (token.length >= FUZZY_MIN - 1) {
      for (const cand of [token, ...deletions(token)]) {
        for (const id of this.fuzzyExact.get(cand) ?? []) {
          if (!out.has(id) && editDistance(token, this.atoms[id]!.value, 1) <= 1) out.add(id);
        }
      }
      const hi = Math.min(token.length, this.maxStem + 1);
      for (let len = FUZZY_MIN - 1; len <= hi; len++) {
        const head = token.slice(0, len);
        for (const cand of [head, ...deletions(head)]) {
          for (const id of this.fuzzyPrefix.get(cand) ?? []) {
            if (!out.has(id) && editDistance(head, this.atoms[id]!.value, 1) <= 1) out.add(id);
          }
        }
      }
    }
    const result = [...out];
    if (this.cache.size > 20000) this.cache.clear();
    this.cache.set(token, result);
    return result;
  }
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance (edits and adjacent swaps), giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

export type Lexicon = (name: string) => string[] | undefined;

/** Parses one group ("took/kept passport* | confiscated passport*") into phrases. */
export function compileGroup(source: string, table: AtomTable, lexicon: Lexicon, fuzzy = true): Group {
  const phrases: Phrase[] = [];
  if (source.trim() === "") throw new PatternSyntaxError("empty group");
  const alternatives = source.trim().split(/\s+\|\s+/).map((s) => s.trim());
  for (const alt of alternatives) {
    if (alt === "") throw new PatternSyntaxError(`empty alternative in "${source}"`);
    const parts = alt.split(/\s+/);
    // A lone @name stands for its whole word list (whose entries may be phrases).
    if (parts.length === 1 && parts[0]!.startsWith("$")) {
      const list = resolveLexicon(parts[0]!, lexicon);
      for (const entry of list) {
        if (entry.includes("$")) throw new PatternSyntaxError(`lexicon entry "${entry}" may not refer to another list`);
        phrases.push(...compileGroup(entry, table, lexicon, fuzzy).phrases);
      }
      continue;
    }
    phrases.push(compilePhrase(alt, table, lexicon, fuzzy));
  }
  const firstAtoms = new Set<number>();
  for (const p of phrases) for (const a of (p.words[0] as { atoms: number[] }).atoms) firstAtoms.add(a);
  return { phrases, source, firstAtoms };
}

function resolveLexicon(ref: string, lexicon: Lexicon): string[] {
  const list = lexicon(ref.slice(1));
  if (!list || list.length === 0) throw new PatternSyntaxError(`unknown or empty word list "${ref}"`);
  return list;
}

function compilePhrase(alt: string, table: AtomTable, lexicon: Lexicon, fuzzy: boolean): Phrase {
  const words: Word[] = [];
  let negated = false;
  // A hyphen inside a word is read as a space ("ұрып-соғ*" = "ұрып соғ*"), as the text is tokenized.
  const parts = alt.split(/\s+/).flatMap((p) => (p.startsWith("<") || p === "..." ? [p] : p.split("-").filter(Boolean)));
  for (const part of parts) {
    if (part === "...") {
      if (words.length === 0) throw new PatternSyntaxError(`"..." cannot start a phrase: "${alt}"`);
      words.push({ gap: true, max: GAP_MAX });
      continue;
    }
    const atoms: number[] = [];
    for (const raw of splitAtoms(part)) {
      if (raw.startsWith("$")) {
        for (const entry of resolveLexicon(raw, lexicon)) {
          if (/\s/.test(entry.trim())) {
            throw new PatternSyntaxError(`word list ${raw} has the phrase "${entry}" and can only be used alone in an alternative`);
          }
          const atom = compileAtom(entry.trim(), table, fuzzy);
          atoms.push(atom.id);
          negated ||= atom.negation;
        }
        continue;
      }
      const atom = compileAtom(raw, table, fuzzy);
      atoms.push(atom.id);
      negated ||= atom.negation;
    }
    words.push({ gap: false, atoms });
  }
  const last = words[words.length - 1];
  if (!last || last.gap) throw new PatternSyntaxError(`a phrase cannot end with "...": "${alt}"`);
  return { words, negated, source: alt };
}

/** Splits "took/kept/<^a/b$>" on slashes outside <regex>. */
function splitAtoms(word: string): string[] {
  const out: string[] = [];
  let cur = "";
  let depth = 0;
  for (const ch of word) {
    if (ch === "<") depth++;
    if (ch === ">" && depth > 0) depth--;
    if (ch === "/" && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  for (const a of out) if (a === "") throw new PatternSyntaxError(`empty word in "${word}"`);
  return out;
}

function compileAtom(raw: string, table: AtomTable, allowFuzzy = true): { id: number; negation: boolean } {
  if (raw === "NEG") return { id: table.intern({ kind: "neg", value: "NEG", fuzzy: false }), negation: true };
  if (raw.startsWith("<")) {
    if (!raw.endsWith(">") || raw.length < 3) throw new PatternSyntaxError(`unclosed regex "${raw}"`);
    let re: RegExp;
    try {
      re = new RegExp(raw.slice(1, -1), "u");
    } catch (err) {
      throw new PatternSyntaxError(`bad regex ${raw}: ${(err as Error).message}`);
    }
    return { id: table.intern({ kind: "regex", value: raw, fuzzy: false, re }), negation: false };
  }
  let text = raw;
  let fuzzy = allowFuzzy;
  if (text.startsWith("=")) {
    fuzzy = false;
    text = text.slice(1);
  }
  let kind: AtomKind = "exact";
  if (text.endsWith("*")) {
    kind = "prefix";
    text = text.slice(0, -1);
  }
  if (/[*<>=$@|]/.test(text)) throw new PatternSyntaxError(`unexpected character in "${raw}"`);
  const key = looseKey(text);
  const pieces = key.match(/[a-z0-9]+/g) ?? [];
  if (pieces.length !== 1 || pieces[0] !== key) {
    throw new PatternSyntaxError(`"${raw}" is not a single word (folded: "${key}")`);
  }
  if (kind === "prefix" && key.length < 2) throw new PatternSyntaxError(`prefix "${raw}" is too short`);
  fuzzy = fuzzy && key.length >= FUZZY_MIN;
  return { id: table.intern({ kind, value: key, fuzzy }), negation: kind === "exact" && table.negators.has(key) };
}

export interface Occurrence {
  start: number;
  end: number;
}

/**
 * Finds the occurrences of `phrase` in tokens [from, to). `has(pos, atoms)` tells whether the
 * token at `pos` matches one of `atoms`.
 */
export function findPhrase(
  phrase: Phrase,
  from: number,
  to: number,
  has: (pos: number, atoms: number[]) => boolean,
  starts?: (atoms: number[], from: number, to: number) => number[],
): Occurrence[] {
  const out: Occurrence[] = [];
  const first = phrase.words[0]!;
  if (first.gap) return out;
  const candidates = starts ? starts(first.atoms, from, to) : undefined;
  if (candidates) {
    for (const p of candidates) {
      const end = matchRest(phrase.words, 1, p + 1, 0, to, has);
      if (end >= 0) out.push({ start: p, end });
    }
    return out;
  }
  for (let p = from; p < to; p++) {
    if (!has(p, first.atoms)) continue;
    const end = matchRest(phrase.words, 1, p + 1, 0, to, has);
    if (end >= 0) out.push({ start: p, end });
  }
  return out;
}

function matchRest(words: Word[], wi: number, pos: number, skip: number, to: number, has: (pos: number, atoms: number[]) => boolean): number {
  if (wi === words.length) return pos;
  const w = words[wi]!;
  if (w.gap) return matchRest(words, wi + 1, pos, w.max, to, has);
  for (let k = 0; k <= skip; k++) {
    const p = pos + k;
    if (p >= to) break;
    if (has(p, w.atoms)) {
      const r = matchRest(words, wi + 1, p + 1, 0, to, has);
      if (r >= 0) return r;
    }
  }
  return -1;
}
