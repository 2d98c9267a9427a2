/**
 * Fixed reply texts, per language, from `prompts/<lang>/<namespace>.yaml`.
 *
 * A key is `namespace.path.to.text` (e.g. `answers.not_found`). Texts are ICU MessageFormat
 * (intl-messageformat): `{placeholders}`, and plurals in the language's own rules
 * (`{count, plural, one {# вопрос} few {# вопроса} many {# вопросов} other {# вопроса}}`).
 * A YAML list is a list of texts (`list()`). A missing translation falls back to English; a key
 * missing in English is a programming error and throws, so tests catch it; so does a text that
 * is not valid MessageFormat. Cyrillic Uzbek is derived from the Latin Uzbek text unless a
 * `prompts/uz-Cyrl/` file provides it. Each file carries a `_review` note saying who checked it.
 */
import { readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { readYamlFile } from "./yaml-file.ts";
import { LANGUAGES, type Locale, localeTag } from "./language/languages.ts";
import { uzbekLatinToCyrillic } from "./language/transliterate.ts";
import { projectPath } from "./paths.ts";
import { IntlMessageFormat } from "intl-messageformat";

type Texts = Map<string, string>;
type Lists = Map<string, string[]>;

export class Prompts {
  private readonly byLocale = new Map<string, Texts>();
  private readonly listsByLocale = new Map<string, Lists>();
  private readonly compiled = new Map<string, { format: IntlMessageFormat; args: string[] }>();

  constructor(private readonly dir: string = projectPath("prompts")) {
    if (!existsSync(dir)) throw new Error(`Prompts folder not found: ${dir}`);
    for (const tag of [...LANGUAGES, "uz-Cyrl"]) {
      const { texts, lists } = this.load(tag);
      this.byLocale.set(tag, texts);
      this.listsByLocale.set(tag, lists);
    }
    if (this.byLocale.get("en")!.size === 0) throw new Error(`No English prompts in ${join(dir, "en")}`);
  }

  private load(tag: string): { texts: Texts; lists: Lists } {
    const texts: Texts = new Map();
    const lists: Lists = new Map();
    const folder = join(this.dir, tag);
    if (!existsSync(folder)) return { texts, lists };
    for (const file of readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort()) {
      const path = join(folder, file);
      flatten(basename(file, ".yaml"), readYamlFile(path), texts, lists);
    }
    return { texts, lists };
  }

  /** True when `key` exists in English (every key must). */
  has(key: string): boolean {
    return this.byLocale.get("en")!.has(key) || this.listsByLocale.get("en")!.has(key);
  }

  /**
   * The text for `key` in `locale`, formatted as ICU MessageFormat with `vars` (plurals in the
   * language's rules); a placeholder without a value is left as `{name}`.
   */
  t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.format(this.raw(locale, key), localeTag(locale), key, vars);
  }

  /** A list of texts (a YAML list in the prompts file), e.g. `answers.suggestions`. */
  list(locale: Locale, key: string): string[] {
    const tag = localeTag(locale);
    let items = this.listsByLocale.get(tag)?.get(key);
    if (items === undefined && tag === "uz-Cyrl") {
      const latin = this.listsByLocale.get("uz")?.get(key);
      if (latin) this.listsByLocale.get("uz-Cyrl")!.set(key, (items = latin.map(uzbekLatinToCyrillic)));
    }
    items ??= this.listsByLocale.get(locale.lang)?.get(key) ?? this.listsByLocale.get("en")!.get(key);
    if (items === undefined) throw new Error(`Missing prompt list "${key}" (not even in English)`);
    return items.map((item) => this.format(item, tag, key, {}));
  }

  /** The unformatted MessageFormat source of `key` in `locale` (after fallback), for checks. */
  raw(locale: Locale, key: string): string {
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
    return text;
  }

  /** The placeholders (argument names) of a text, plural and select variables included. */
  arguments(text: string, tag = "en", key = "(text)"): string[] {
    return this.compile(text, tag, key).args;
  }

  private compile(text: string, tag: string, key: string): { format: IntlMessageFormat; args: string[] } {
    const id = `${tag}\u0000${text}`;
    let entry = this.compiled.get(id);
    if (!entry) {
      let format: IntlMessageFormat;
      try {
        // Markup in texts (<b>, <@user>) is text, not MessageFormat tags.
        format = new IntlMessageFormat(text, intlLocale(tag), undefined, { ignoreTag: true });
      } catch (err) {
        throw new Error(`Prompt "${key}" (${tag}) is not valid ICU MessageFormat: ${(err as Error).message}`);
      }
      entry = { format, args: [...new Set(argumentNames(format.getAst()))] };
      this.compiled.set(id, entry);
    }
    return entry;
  }

  private format(text: string, tag: string, key: string, vars: Record<string, string | number>): string {
    // Without a brace a text has no MessageFormat syntax (an apostrophe quotes only before one).
    if (!text.includes("{")) return text;
    const { format, args } = this.compile(text, tag, key);
    if (args.length === 0) return String(format.format());
    const values: Record<string, string | number> = {};
    for (const name of args) values[name] = name in vars ? vars[name]! : `{${name}}`;
    return String(format.format(values));
  }

  /** Every key defined in English (texts and lists), for completeness tests. */
  keys(): string[] {
    return [...this.byLocale.get("en")!.keys(), ...this.listsByLocale.get("en")!.keys()];
  }

  /** The keys that `tag` (a language) defines itself, without falling back. */
  ownKeys(tag: string): string[] {
    return [...(this.byLocale.get(tag)?.keys() ?? []), ...(this.listsByLocale.get(tag)?.keys() ?? [])];
  }

  /** True when `key` is a list (in English). */
  isList(key: string): boolean {
    return this.listsByLocale.get("en")!.has(key);
  }

  /** The list items of `key` that `tag` defines itself (undefined when it does not). */
  ownList(tag: string, key: string): string[] | undefined {
    return this.listsByLocale.get(tag)?.get(key);
  }

  /** The text of `key` that `tag` defines itself (undefined when it does not). */
  ownText(tag: string, key: string): string | undefined {
    return this.byLocale.get(tag)?.get(key);
  }
}

/** Plural rules by language; Cyrillic Uzbek counts like Latin Uzbek. */
function intlLocale(tag: string): string {
  return tag === "uz-Cyrl" ? "uz" : tag;
}

type AstNode = { type: number; value?: unknown; options?: Record<string, { value: AstNode[] }>; children?: AstNode[] };

/** Argument names in a parsed message (arguments, numbers, dates, plurals, selects). */
function argumentNames(ast: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const node of ast as AstNode[]) {
    // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural (see @formatjs/icu-messageformat-parser TYPE).
    if (node.type >= 1 && node.type <= 6 && typeof node.value === "string") out.push(node.value);
    for (const option of Object.values(node.options ?? {})) out.push(...argumentNames(option.value));
    if (node.children) out.push(...argumentNames(node.children));
  }
  return out;
}

function flatten(prefix: string, value: unknown, into: Texts, lists: Lists): void {
  if (typeof value === "string") into.set(prefix, value.trimEnd());
  else if (Array.isArray(value)) lists.set(prefix, value.map((v) => String(v).trimEnd()));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith("_")) continue; // _review and other metadata
      flatten(`${prefix}.${k}`, v, into, lists);
    }
  }
}

let shared: Prompts | undefined;
/** The project's prompts, loaded once. */
export function prompts(): Prompts {
  shared ??= new Prompts();
  return shared;
}
