/**
 * The context every Telegram handler sees: grammY's context, the session (language and
 * consent state only, never message text) and the person's language with a `t()` for fixed
 * texts. `BotCore` is the narrow slice of the assistant the adapter uses.
 */
import type { Context, SessionFlavor } from "grammy";
import type { Assistant } from "../../src/index.ts";
import type { Locale } from "../../src/index.ts";
import type { Level } from "../../src/index.ts";
import type { CrisisState, GuidedCheckState } from "../../src/index.ts";

/** What the Telegram adapter needs from the core (tests wrap a real assistant). */
export type BotCore = Pick<
  Assistant,
  | "triage" | "ask" | "detect" | "t" | "documents" | "passage" | "citation"
  | "understand" | "respond" | "route" | "card" | "confirmCheck" | "guidedCheckQuestions" | "guidedCheckStep" | "checkQuestionText"
> & {
  readonly corpus: { readonly hash: string; readonly passages: ReadonlyArray<{ readonly id: string }> };
};

/** A disclosure waiting for the person's consent to a handoff. Indicators only, no text. */
export interface PendingHandoff {
  level: Level;
  indicators: string[];
  /** Locale tag of the conversation, e.g. `ru` or `uz-Cyrl`. */
  locale: string;
  /** When the offer was made (ms since epoch); offers expire. */
  at: number;
}

export interface SessionData {
  /** The language the person chose with the picker (a locale tag); absent until they choose. */
  locale?: string;
  /** The last safety level seen in this conversation, for /hotline. */
  level?: Level;
  handoff?: PendingHandoff;
  /** The crisis state after a disclosure (level, indicators, language, time; a day). */
  crisis?: CrisisState;
  /** The guided check in progress (/check): the step and the question ids answered "yes". */
  check?: GuidedCheckState;
}

interface LocaleFlavor {
  /** The language to reply in: chosen, else Telegram's interface language, else English. */
  locale: Locale;
  /** True when the person picked `locale` themselves. */
  localeChosen: boolean;
  /** A fixed text in `ctx.locale`. */
  t(key: string, vars?: Record<string, string | number>): string;
}

export type HotlineContext = Context & SessionFlavor<SessionData> & LocaleFlavor;
