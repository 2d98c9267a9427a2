/**
 * Loads and validates `knowledge/triage/rules.yaml` and compiles its patterns.
 *
 * Any problem (bad YAML, a missing field, an unknown indicator, a pattern that does not
 * compile, an unknown word list) stops start-up with a `RulesError` naming the file and the
 * rule id, so that a broken rule can never silently switch a disclosure off.
 */
import { parseYamlText, readYamlFile, yamlErrorReason } from "../yaml-file.ts";
import { z } from "zod";
import { LANGUAGES, type Lang } from "../language/languages.ts";
import { projectPath } from "../paths.ts";
import { looseKey } from "./normalize.ts";
import { AtomTable, type Group, PatternSyntaxError, compileGroup } from "./patterns.ts";
import { ILO_INDICATORS, type Level } from "./types.ts";

export const DEFAULT_RULES_FILE = projectPath("knowledge", "triage", "rules.yaml");

/** The ILO forced-labour indicators, plus the two markers for non-ILO signals. */
export const INDICATORS = [
  ...ILO_INDICATORS,
  "emergency",
  "at_risk",
] as const;
export type Indicator = (typeof INDICATORS)[number];
/** Markers are not ILO indicators: they do not count towards escalation. */
export const MARKERS: ReadonlySet<string> = new Set(["emergency", "at_risk"]);

export class RulesError extends Error {
  constructor(
    readonly file: string,
    readonly ruleId: string | undefined,
    detail: string,
  ) {
    super(`Triage rules ${file}${ruleId ? `, rule "${ruleId}"` : ""}: ${detail}`);
    this.name = "RulesError";
  }
}

const patternSpec = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const perLang = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ en: item, ru: item, kk: item, uz: item, ky: item, tg: item }).strict();
const wordList = z.array(z.string().min(1)).min(1);

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be lower_snake_case"),
    indicator: z.enum(INDICATORS),
    level: z.enum(["at_risk", "trafficking", "emergency"]),
    description: z.string().optional(),
    patterns: perLang(z.array(patternSpec).min(1)),
    except: z.lazy(() => partialLang).optional(),
    /**
     * A normal holder or setting that cancels the rule in its sentence (a consulate processing a
     * visa, a bank keeping a copy) — unless an `except_unless` phrase is anywhere in the message
     * (an employer, a recruiter holds it).
     */
    except_context: z.lazy(() => partialLang).optional(),
    except_unless: z.lazy(() => partialLang).optional(),
    /** Where `except_context` is read: the pattern's sentence (the default) or the whole message. */
    except_context_scope: z.enum(["sentence", "message"]).optional(),
    /** The rule only matches a message of at most this many words (short cries: "помогите!"). */
    max_words: z.number().int().positive().optional(),
    /**
     * Where all groups of a pattern must be found: one sentence (the default), or anywhere in
     * the message ("I ran from the farm last night. … I think he is looking for me.").
     */
    scope: z.enum(["sentence", "message"]).optional(),
    examples: z.array(z.string().min(1)).min(1),
    counter_examples: z.array(z.string().min(1)).min(1),
  })
  .strict();

const partialLang = z
  .object({ en: wordList, ru: wordList, kk: wordList, uz: wordList, ky: wordList, tg: wordList })
  .partial()
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1),
    settings: z
      .object({
        negation_window: z.number().int().min(0).max(5).default(2),
        escalate_on_distinct_indicators: z.number().int().min(0).max(11).default(2),
        negation_after_requires: z.string().optional(),
      })
      .strict()
      .default({}),
    context: z
      .object({
        negation: partialLang,
        negation_after: partialLang,
        hypothetical: partialLang,
        question_start: partialLang,
        personal: partialLang,
        about_topic: partialLang,
        generic_third_party: partialLang,
        joking: partialLang.optional(),
        media: partialLang.optional(),
        reassurance: partialLang.optional(),
      })
      .strict(),
    lexicon: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), partialLang).default({}),
    rules: z.array(z.unknown()).min(1),
  })
  .strict();

export type RuleSpec = z.infer<typeof ruleSchema>;

export interface CompiledRule {
  id: string;
  indicator: Indicator;
  level: Exclude<Level, "none">;
  description?: string;
  /** One entry per pattern: its language and its groups. */
  patterns: Array<{ lang: Lang; groups: Group[]; source: string }>;
  /** Phrases that cancel the rule in the sentence where they occur. */
  except?: Group;
  /** Like `except`, but only when no `exceptUnless` phrase is in the message. */
  exceptContext?: Group;
  exceptUnless?: Group;
  /** `exceptContext` is read in the whole message, not only the pattern's sentence. */
  exceptContextMessage?: boolean;
  /** Only messages of at most this many words match. */
  maxWords?: number;
  /** The groups of a pattern may be found in different sentences of the message. */
  messageScope?: boolean;
  examples: string[];
  counterExamples: string[];
}

export interface CompiledContext {
  hypothetical: Group;
  questionStart: Group;
  personal: Group;
  aboutTopic: Group;
  generic: Group;
  /** Laughter and joke markers ("haha", "лол", 😂): an exaggeration, not a threat. */
  joking: Group;
  /** Retelling a film, a book or the news ("I saw in the news that…"): not the person's own situation. */
  media: Group;
  /**
   * The person says the basics are fine ("but he pays on time", "pasportim o'zimda"): a strict
   * workplace described with that is not an at-risk sign. A negated phrase ("не платят вовремя")
   * does not reassure.
   */
  reassurance: Group;
  /**
   * The lists that cancel a match (about the topic, about trafficking in general), read only in
   * the message's language (plus Russian, which people mix into every other language): with
   * every language's list on every message, a Kazakh prefix "заң*" (law) cancelled Russian
   * "заниматься" in a disclosure. Keyed by language; the union above is for unknown languages.
   */
  cancelByLang: Map<string, { aboutTopic: Group; generic: Group }>;
}

/** The languages whose cancelling lists are read for a message in `lang`. */
export function cancelLanguages(lang: string): string[] {
  return lang === "en" || lang === "ru" ? [lang] : [lang, "ru"];
}

export interface CompiledRules {
  file: string;
  table: AtomTable;
  rules: CompiledRule[];
  context: CompiledContext;
  negators: ReadonlySet<string>;
  postNegators: ReadonlySet<string>;
  negationWindow: number;
  /** A negation word after a phrase only counts when the phrase's last word matches this. */
  negationAfterRequires?: RegExp;
  escalateOn: number;
}

/** Reads, validates and compiles a rules file; throws `RulesError` naming the rule on any problem. */
export function loadRules(file: string = DEFAULT_RULES_FILE): CompiledRules {
  let data: unknown;
  try {
    data = readYamlFile(file); // parsed once, then read from the JSON cache
  } catch (err) {
    throw new RulesError(file, undefined, yamlErrorReason(err));
  }
  return compileRulesData(data, file);
}

/** Validates and compiles rules given as YAML text (`file` is only used in messages). */
export function compileRules(text: string, file = "<rules>"): CompiledRules {
  let data: unknown;
  try {
    data = parseYamlText(text, file);
  } catch (err) {
    throw new RulesError(file, undefined, yamlErrorReason(err));
  }
  return compileRulesData(data, file);
}

/** Validates and compiles parsed rules (`file` is only used in messages). */
function compileRulesData(data: unknown, file: string): CompiledRules {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw new RulesError(file, undefined, formatIssues(parsed.error));
  const spec = parsed.data;

  const words = (lists: z.infer<typeof partialLang>, where: string): Set<string> => {
    const out = new Set<string>();
    for (const list of Object.values(lists)) {
      for (const w of list ?? []) {
        const key = looseKey(w).trim();
        if (!/^[a-z0-9]+$/.test(key)) throw new RulesError(file, undefined, `context.${where}: "${w}" must be a single word`);
        out.add(key);
      }
    }
    return out;
  };
  const negators = words(spec.context.negation, "negation");
  const postNegators = words(spec.context.negation_after, "negation_after");
  const table = new AtomTable(negators);

  const contextGroup = (name: keyof typeof spec.context): Group => {
    const lists = spec.context[name];
    const all = Object.values(lists ?? {}).flat();
    try {
      return compileGroup(all.join(" | "), table, () => undefined, false);
    } catch (err) {
      throw new RulesError(file, undefined, `context.${name}: ${(err as Error).message}`);
    }
  };
  const groupOf = (name: keyof typeof spec.context, langs: string[]): Group => {
    const lists = (spec.context[name] ?? {}) as Record<string, string[] | undefined>;
    // Regular expressions (years, numbers) are not words of a language: they count in every one.
    const anyLanguage = Object.values(lists).flatMap((l) => (l ?? []).filter((w) => w.startsWith("<")));
    const words = [...new Set([...langs.flatMap((l) => lists[l] ?? []), ...anyLanguage])];
    try {
      return compileGroup(words.length ? words.join(" | ") : "=\u0000never", table, () => undefined, false);
    } catch (err) {
      throw new RulesError(file, undefined, `context.${name}: ${(err as Error).message}`);
    }
  };
  const cancelByLang = new Map<string, { aboutTopic: Group; generic: Group }>();
  for (const lang of ["en", "ru", "kk", "uz", "ky", "tg"]) {
    const langs = cancelLanguages(lang);
    cancelByLang.set(lang, { aboutTopic: groupOf("about_topic", langs), generic: groupOf("generic_third_party", langs) });
  }
  const context: CompiledContext = {
    hypothetical: contextGroup("hypothetical"),
    questionStart: contextGroup("question_start"),
    personal: contextGroup("personal"),
    aboutTopic: contextGroup("about_topic"),
    generic: contextGroup("generic_third_party"),
    joking: groupOf("joking", ["en", "ru", "kk", "uz", "ky", "tg"]),
    media: groupOf("media", ["en", "ru", "kk", "uz", "ky", "tg"]),
    reassurance: groupOf("reassurance", ["en", "ru", "kk", "uz", "ky", "tg"]),
    cancelByLang,
  };

  const rules: CompiledRule[] = [];
  const seen = new Set<string>();
  spec.rules.forEach((raw, index) => {
    const guessedId =
      raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : `#${index + 1}`;
    const r = ruleSchema.safeParse(raw);
    if (!r.success) throw new RulesError(file, guessedId, formatIssues(r.error));
    const rule = r.data;
    if (seen.has(rule.id)) throw new RulesError(file, rule.id, "duplicate rule id");
    seen.add(rule.id);
    if (MARKERS.has(rule.indicator) && rule.indicator === "emergency" && rule.level !== "emergency") {
      throw new RulesError(file, rule.id, `indicator "emergency" needs level emergency`);
    }
    const compiled: CompiledRule = {
      id: rule.id,
      indicator: rule.indicator,
      level: rule.level,
      description: rule.description,
      ...(rule.max_words ? { maxWords: rule.max_words } : {}),
      ...(rule.scope === "message" ? { messageScope: true } : {}),
      patterns: [],
      examples: rule.examples,
      counterExamples: rule.counter_examples,
    };
    for (const lang of LANGUAGES) {
      const lexicon = (name: string) => spec.lexicon[name]?.[lang];
      for (const pattern of rule.patterns[lang]) {
        const groups = Array.isArray(pattern) ? pattern : [pattern];
        try {
          compiled.patterns.push({
            lang,
            groups: groups.map((g) => compileGroup(g, table, lexicon)),
            source: groups.join(" + "),
          });
        } catch (err) {
          const detail = err instanceof PatternSyntaxError ? err.message : String(err);
          throw new RulesError(file, rule.id, `pattern ${lang} ${JSON.stringify(pattern)}: ${detail}`);
        }
      }
    }
    if (rule.except) {
      try {
        compiled.except = compileGroup(Object.values(rule.except).flat().join(" | "), table, () => undefined, false);
      } catch (err) {
        throw new RulesError(file, rule.id, `except: ${(err as Error).message}`);
      }
    }
    for (const [key, field] of [["except_context", "exceptContext"], ["except_unless", "exceptUnless"]] as const) {
      const spec = rule[key];
      if (!spec) continue;
      try {
        compiled[field] = compileGroup(Object.values(spec).flat().join(" | "), table, () => undefined, false);
      } catch (err) {
        throw new RulesError(file, rule.id, `${key}: ${(err as Error).message}`);
      }
    }
    if (rule.except_context_scope === "message") compiled.exceptContextMessage = true;
    if (compiled.exceptContext && !compiled.exceptUnless) throw new RulesError(file, rule.id, "except_context needs except_unless");
    rules.push(compiled);
  });

  let negationAfterRequires: RegExp | undefined;
  if (spec.settings.negation_after_requires) {
    try {
      negationAfterRequires = new RegExp(spec.settings.negation_after_requires, "u");
    } catch (err) {
      throw new RulesError(file, undefined, `settings.negation_after_requires: ${(err as Error).message}`);
    }
  }

  return {
    file,
    table,
    negationAfterRequires,
    rules,
    context,
    negators,
    postNegators,
    negationWindow: spec.settings.negation_window,
    escalateOn: spec.settings.escalate_on_distinct_indicators,
  };
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ");
}
