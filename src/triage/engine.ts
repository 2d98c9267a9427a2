/**
 * `createTriage()`: fixed-rule safety triage, synchronous, offline, no index needed.
 *
 * Loading the rules or the contacts fails loudly (start-up must stop on a broken rule);
 * `assess()` never throws: if anything goes wrong inside it, it returns the fail-safe general
 * hotline reply instead of silence.
 */
import { detectLanguage } from "../language/detect.ts";
import { type Locale, localeOf } from "../language/languages.ts";
import { logger } from "../logger.ts";
import { type Prompts, prompts as sharedPrompts } from "../prompts.ts";
import { type Directory, DEFAULT_CONTACTS_FILE, loadContacts } from "./contacts.ts";
import { type Analysis, analyze } from "./matcher.ts";
import { buildFallbackReply, buildReply } from "./reply.ts";
import { type CompiledRules, DEFAULT_RULES_FILE, loadRules } from "./rules.ts";
import type { Level, TriageResult } from "./types.ts";

export interface TriageOptions {
  /** Defaults to knowledge/triage/rules.yaml. */
  rulesFile?: string;
  /** Defaults to knowledge/contacts.yaml (pass config.CONTACTS_FILE to honour the env variable). */
  contactsFile?: string;
  /** Defaults to the project's prompts. */
  prompts?: Prompts;
}

export interface Triage {
  /** Triage one message. Never throws. `written`: the text's own language, when already known. */
  assess(text: string, locale?: Locale, written?: Locale): TriageResult;
  /** The fixed route of a level (its contacts and reply), e.g. after a "yes" to a check question. */
  route(level: Exclude<Level, "none">, indicators: string[], locale: Locale, rules: string[]): TriageResult;
  /** The full analysis (matches, context notes) for audit tools and tests. May throw. */
  explain(text: string): Analysis;
  readonly rules: CompiledRules;
  readonly directory: Directory;
}

/** Longest message looked at; longer text is triaged on its first part (about 4,000 characters). */
export const MAX_TRIAGE_CHARS = 4000;

export function createTriage(options: TriageOptions = {}): Triage {
  const rules = loadRules(options.rulesFile ?? DEFAULT_RULES_FILE);
  const directory = loadContacts(options.contactsFile ?? DEFAULT_CONTACTS_FILE);
  const p = options.prompts ?? sharedPrompts();

  const contactsFor = (level: Level) => (level === "none" ? [] : directory.byLevel[level]);

  const assess = (text: string, locale?: Locale, written?: Locale): TriageResult => {
    let loc: Locale = locale ?? localeOf("en");
    try {
      // A bot command ("/help", "/start@hotline_bot") is a button of the interface, not words
      // of the person: "/help" is not a cry for help. Its arguments are still read.
      const input = laughterAsWords((typeof text === "string" ? text : String(text ?? "")).replace(/^\/[a-z0-9_]+(@\w+)?\s*/i, ""));
      // The language of the text itself (not the reply language) chooses the cancelling lists.
      // (the caller may pass it when it already detected it).
      const textLang = written ?? ((d) => (d.supported && d.confidence > 0 ? d.locale : undefined))(detectLanguage(input.slice(0, MAX_TRIAGE_CHARS), locale));
      if (!locale && textLang) loc = textLang;
      const a = analyze(rules, input.slice(0, MAX_TRIAGE_CHARS), textLang?.lang);
      const contacts = contactsFor(a.level);
      return {
        level: a.level,
        indicators: a.indicators,
        rules: a.rules,
        locale: loc,
        contacts,
        reply: a.level === "none" ? null : buildReply(p, a.level, loc, contacts),
        ...(a.framing.length ? { framing: a.framing } : {}),
        ...(a.cleared.length ? { cleared: a.cleared } : {}),
      };
    } catch (err) {
      logger().error({ event: "triage_failed", err: err instanceof Error ? err.message : String(err) }, "triage failed; sent the fail-safe reply");
      const contacts = directory.byLevel.trafficking;
      return {
        level: "at_risk",
        indicators: [],
        rules: [],
        locale: loc,
        contacts,
        reply: buildFallbackReply(p, loc, contacts),
        failSafe: true,
      };
    }
  };

  const route = (level: Exclude<Level, "none">, indicators: string[], locale: Locale, ruleIds: string[]): TriageResult => {
    const contacts = contactsFor(level);
    return { level, indicators, rules: ruleIds, locale, contacts, reply: buildReply(p, level, locale, contacts) };
  };

  return { assess, route, explain: (raw) => {
      const text = laughterAsWords(raw);
      const written = detectLanguage(text.slice(0, MAX_TRIAGE_CHARS));
      return analyze(rules, text.slice(0, MAX_TRIAGE_CHARS), written.supported && written.confidence > 0 ? written.locale.lang : undefined);
    }, rules, directory };
}

/** Laughing emoji become a word the rules can read (the tokenizer keeps only letters and digits). */
function laughterAsWords(text: string): string {
  return text.replace(/[\u{1F602}\u{1F923}\u{1F648}\u{1F605}\u{1F606}\u{1F601}\u{1F604}\u{1F61C}\u{1F61D}]/gu, " hahaemoji ");
}
