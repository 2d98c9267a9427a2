/**
 * The conversation's safety state after a disclosure or an emergency: the level, the
 * indicators, the language and the time, for a day. Never the text. Adapters keep it in their
 * session (memory or Redis, under the person's prefix, so /forget deletes it).
 *
 * While it is open every follow-up is read in its context (see `conversation.ts`).
 */
import { type Level, levelRank } from "../triage/types.ts";

/** A crisis state lasts a day after the last disclosure. */
export const CRISIS_TTL_MS = 24 * 3600 * 1000;

export interface CrisisState {
  level: Exclude<Level, "none">;
  indicators: string[];
  /** Locale tag of the conversation (`ru`, `uz-Cyrl`...). */
  locale: string;
  /** Last disclosure (ms since epoch). */
  at: number;
  /** Follow-up questions already asked (ids), so each is asked once. */
  asked: string[];
  /** The question waiting for a yes or no, if any. */
  pending?: string;
  /** The handoff was offered for this disclosure (offered once). */
  offered?: boolean;
}

export function isOpen(state: CrisisState | undefined, now = Date.now()): state is CrisisState {
  return state !== undefined && now - state.at < CRISIS_TTL_MS;
}

/**
 * The state after a disclosure: the higher of the two levels, the union of the indicators, the
 * newest language and time. `escalated` is true when this disclosure is new or more urgent than
 * what was open, so the person gets the first safety reply (with its numbers) again.
 */
export function openCrisis(
  previous: CrisisState | undefined,
  disclosure: { level: Exclude<Level, "none">; indicators: readonly string[]; locale: string },
  now = Date.now(),
): { state: CrisisState; escalated: boolean } {
  if (!isOpen(previous, now)) {
    return { state: { level: disclosure.level, indicators: [...disclosure.indicators], locale: disclosure.locale, at: now, asked: [] }, escalated: true };
  }
  const escalated = levelRank(disclosure.level) > levelRank(previous.level);
  const indicators = [...previous.indicators];
  for (const i of disclosure.indicators) if (!indicators.includes(i)) indicators.push(i);
  const state: CrisisState = {
    ...previous,
    level: escalated ? disclosure.level : previous.level,
    indicators,
    locale: disclosure.locale,
    at: now,
    // A more urgent disclosure is a new disclosure: its questions and its offer start again.
    ...(escalated ? { asked: [], offered: false } : {}),
  };
  if (escalated) delete state.pending;
  return { state, escalated };
}
