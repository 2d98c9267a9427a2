/**
 * Fixed reply texts, per language, from `prompts/<lang>/<namespace>.yaml`.
 *
 * A key is `namespace.path.to.text` (e.g. `answers.not_found`). Texts may hold `{placeholders}`.
 * A missing translation falls back to English; a key missing in English is a programming error
 * and throws, so tests catch it. Cyrillic Uzbek is derived from the Latin Uzbek text unless a
 * `prompts/uz-Cyrl/` file provides it. Each file carries a `_review` note saying who checked it.
 */
import { readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { readYamlFile } from "./yaml-file.ts";
import { LANGUAGES, type Locale, localeTag } from "./language/languages.ts";
import { uzbekLatinToCyrillic } from "./language/transliterate.ts";
import { projectPath } from "./paths.ts";

type Texts = Map<string, string>;

export class Prompts {
  private readonly byLocale = new Map<string, Texts>();

  constructor(private readonly dir: string = projectPath("prompts")) {
    if (!existsSync(dir)) throw new Error(`Prompts folder not found: ${dir}`);
    for (const tag of [...LANGUAGES, "uz-Cyrl"]) this.byLocale.set(tag, this.load(tag));
    if (this.byLocale.get("en")!.size === 0) throw new Error(`No English prompts in ${join(dir, "en")}`);
  }

  private load(tag: string): Texts {
    const texts: Texts = new Map();
    const folder = join(this.dir, tag);
    if (!existsSync(folder)) return texts;
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort()) {
      const path = join(folder, file);
      flatten(basename(file, ".yaml"), readYamlFile(path), texts);
    }
    return texts;
  }

  /** True when `key` exists in English (every key must). */
  has(key: string): boolean {
    return this.byLocale.get("en")!.has(key);
  }

  /** The text for `key` in `locale`, with `{name}` placeholders filled from `vars`. */
  t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    const tag = localeTag(locale);
    let text = this.byLocale.get(tag)?.get(key);
    if (text === undefined && tag === "uz-Cyrl") {
      const latin = this.byLocale.get("uz")?.get(key);
      if (latin !== undefined) {
        text = uzbekLatinToCyrillic(latin);
        this.byLocale.get("uz-Cyrl")!.set(key, text); // transliterate once
      }
    }
    text ??= this.byLocale.get(locale.lang)?.get(key) ?? this.byLocale.get("en")!.get(key);
    if (text === undefined) throw new Error(`Missing prompt text "${key}" (not even in English)`);
    return fill(text, vars);
  }

  /** Every key defined in English, for completeness tests. */
  keys(): string[] {
    return [...this.byLocale.get("en")!.keys()];
  }

  /** The keys that `tag` (a language) defines itself, without falling back. */
  ownKeys(tag: string): string[] {
    return [...(this.byLocale.get(tag)?.keys() ?? [])];
  }
}

function flatten(prefix: string, value: unknown, into: Texts): void {
  if (typeof value === "string") into.set(prefix, value.trimEnd());
  else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("_")) continue; // _review and other metadata
      flatten(`${prefix}.${k}`, v, into);
    }
  }
}

export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

let shared: Prompts | undefined;
/** The project's prompts, loaded once. */
export function prompts(): Prompts {
  shared ??= new Prompts();
  return shared;
}
