/**
 * Translated passages: `knowledge/translations/<lang>/*.jsonl`, one line per passage:
 * `{"id", "hash", "text", "status": "draft" | "reviewed"}`. `hash` is the first 12 hex digits
 * of the sha256 of the English passage text the translation was made from; when the English
 * changes, the hash no longer matches and the translation is stale: the English is quoted (with
 * a note) until a translator renews it. Cyrillic Uzbek is derived from the Latin Uzbek.
 *
 * A line with an unknown passage id is an error naming the file and line (a typo or a passage
 * that no longer exists); so is a malformed line.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LANGUAGES, type Lang, type Locale } from "../language/languages.ts";
import { uzbekLatinToCyrillic } from "../language/transliterate.ts";
import type { Passage } from "./types.ts";

export const TRANSLATION_STATUSES = ["draft", "reviewed"] as const;

export const translationLineSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{10}$/, "must be a passage id (doc:hash10)"),
    hash: z.string().regex(/^[0-9a-f]{12}$/, "must be 12 hex digits (sha256 of the English text)"),
    text: z.string().trim().min(1, "is empty"),
    status: z.enum(TRANSLATION_STATUSES),
  })
  .strict();
export type TranslationLine = z.infer<typeof translationLineSchema>;

/** The status a citation's translation carries: `stale` and `missing` quote the English. */
export type TranslationStatus = "draft" | "reviewed" | "stale" | "missing";

export interface PassageTranslation {
  /** The locale tag the reader gets (`uz-Cyrl` for Cyrillic Uzbek). */
  lang: string;
  /** The text to quote: the translation, or the English original when stale or missing. */
  text: string;
  status: TranslationStatus;
}

/** sha256 of the English passage text, first 12 hex digits (what translation lines carry). */
export function passageHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

export interface StoredTranslation extends TranslationLine {
  file: string;
  line: number;
}

export class TranslationError extends Error {}

/** Reads and validates every translation file; unknown ids and bad lines throw naming the file. */
export function readTranslationFiles(dir: string, passages: readonly Passage[]): Map<Lang, Map<string, StoredTranslation>> {
  const known = new Set(passages.map((p) => p.id));
  const out = new Map<Lang, Map<string, StoredTranslation>>();
  if (!existsSync(dir)) return out;
  for (const lang of LANGUAGES) {
    if (lang === "en") continue;
    const folder = join(dir, lang);
    if (!existsSync(folder)) continue;
    const byId = new Map<string, StoredTranslation>();
    for (const name of readdirSync(folder).filter((f) => f.endsWith(".jsonl")).sort()) {
      const file = join(folder, name);
      readFileSync(file, "utf8")
        .split(/\r?\n/)
        .forEach((raw, i) => {
          if (!raw.trim()) return;
          const where = `${file}:${i + 1}`;
          let value: unknown;
          try {
            value = JSON.parse(raw);
          } catch (err) {
            throw new TranslationError(`${where}: not valid JSON (${(err as Error).message})`);
          }
          const parsed = translationLineSchema.safeParse(value);
          if (!parsed.success) throw new TranslationError(`${where}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
          const entry = parsed.data;
          if (!known.has(entry.id)) throw new TranslationError(`${where}: unknown passage id ${entry.id}`);
          if (byId.has(entry.id)) throw new TranslationError(`${where}: passage ${entry.id} translated twice (also ${byId.get(entry.id)!.file}:${byId.get(entry.id)!.line})`);
          byId.set(entry.id, { ...entry, file, line: i + 1 });
        });
    }
    out.set(lang, byId);
  }
  return out;
}

export class Translations {
  private readonly hashes = new Map<string, string>();
  private readonly cyrillicUz = new Map<string, string>();

  private constructor(
    private readonly byLang: Map<Lang, Map<string, StoredTranslation>>,
    passages: readonly Passage[],
  ) {
    for (const p of passages) this.hashes.set(p.id, passageHash(p.text));
  }

  static load(knowledgeDir: string, passages: readonly Passage[]): Translations {
    return new Translations(readTranslationFiles(join(knowledgeDir, "translations"), passages), passages);
  }

  static empty(): Translations {
    return new Translations(new Map(), []);
  }

  /** Languages with at least one translation file. */
  languages(): Lang[] {
    return [...this.byLang.keys()];
  }

  /** The current (not stale) translations of a language, by passage id, for indexing. */
  current(lang: Lang): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, t] of this.byLang.get(lang) ?? []) if (this.hashes.get(id) === t.hash) out.set(id, t.text);
    return out;
  }

  /** Stored lines whose hash no longer matches the English passage (for reports and tests). */
  stale(lang: Lang): StoredTranslation[] {
    return [...(this.byLang.get(lang)?.values() ?? [])].filter((t) => this.hashes.get(t.id) !== t.hash);
  }

  /** Share of passages with a current translation in `lang`, 0..1. */
  coverage(lang: Lang): number {
    return this.hashes.size === 0 ? 0 : this.current(lang).size / this.hashes.size;
  }

  /**
   * What to quote for `passage` to a reader of `locale`: undefined for English; the translation
   * when current; else the English with status `stale` or `missing` (never an empty quote).
   */
  forPassage(passage: Passage, locale: Locale): PassageTranslation | undefined {
    if (locale.lang === "en") return undefined;
    const cyrillicUz = locale.lang === "uz" && locale.script === "cyrillic";
    const lang = cyrillicUz ? "uz-Cyrl" : locale.lang;
    const stored = this.byLang.get(locale.lang)?.get(passage.id);
    if (!stored) return { lang, text: passage.text, status: "missing" };
    const hash = this.hashes.get(passage.id) ?? passageHash(passage.text);
    if (stored.hash !== hash) return { lang, text: passage.text, status: "stale" };
    let text = stored.text;
    if (cyrillicUz) {
      text = this.cyrillicUz.get(passage.id) ?? uzbekLatinToCyrillic(stored.text);
      this.cyrillicUz.set(passage.id, text);
    }
    return { lang, text, status: stored.status };
  }
}
