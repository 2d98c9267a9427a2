/**
 * The shapes triage produces. Triage is fixed-rule, offline and synchronous: see `engine.ts`.
 */
import type { Locale } from "../language/languages.ts";

/** The ILO forced-labour indicators (the triage rules, the corpus, the check questions). */
export const ILO_INDICATORS = [
  "abuse_of_vulnerability",
  "deception",
  "restriction_of_movement",
  "isolation",
  "physical_sexual_violence",
  "intimidation_threats",
  "retention_of_documents",
  "withholding_of_wages",
  "debt_bondage",
  "abusive_conditions",
  "excessive_overtime",
] as const;

/** Ordered from least to most urgent. */
export const LEVELS = ["none", "at_risk", "trafficking", "emergency"] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** A contact from the contacts directory (`knowledge/contacts.yaml` or CONTACTS_FILE). */
export interface Contact {
  id: string;
  name: string;
  /** Absent for organisations without a verified number: then it is shown without a number. */
  phone?: string;
  purpose: string;
  hours?: string;
  languages?: string[];
  source: string;
  checked: string;
  /** True when the deploying organisation must confirm the number before going live. */
  verify?: boolean;
  /** Why the entry must be verified (e.g. "verify before deployment"), for staff only. */
  note?: string;
  /** Short texts shown to the person, per language tag (en, ru, kk, uz, ky, tg). */
  labels?: Partial<Record<string, string>>;
}

export interface TriageResult {
  level: Level;
  /** ILO forced-labour indicator ids (and emergency / at-risk markers) that matched. */
  indicators: string[];
  /** Ids of the rules that matched, for audit. */
  rules: string[];
  /** The language the reply is written in. */
  locale: Locale;
  /** The contacts for this level, most urgent first; empty for `none`. */
  contacts: Contact[];
  /** The fixed safety reply in the person's language; null for `none`. */
  reply: string | null;
  /** True when triage failed internally and this is the fail-safe general hotline reply. */
  failSafe?: boolean;
  /**
   * A gentle yes/no question, offered when the learned model suspects more than the rules found.
   * The level above stays the rules' decision; only the person's "yes" takes the fixed route for
   * `indicator` (see `Assistant.confirmCheck`).
   */
  check?: { question: string; indicator: string; level: Exclude<Level, "none">; text: string; reason: string };
  /** The message laughs or retells the news/a film somewhere (see `Analysis.framing`); absent when neither. */
  framing?: Array<"joke" | "media">;
  /** Indicators the rules read in the message but an `except` phrase cancelled ("he gave it back"); absent when none. */
  cleared?: string[];
  /** The learned model's view (second net, never deciding), for audit: `hotline triage`, explain. */
  model?: { level: Level; p: number; indicators: Array<{ id: string; p: number }> };
}
