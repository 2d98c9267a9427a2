/**
 * The conversation after a disclosure, platform-neutral (the Telegram bot and the console chat
 * drive it; Slack staff do not need it).
 *
 *   const c = new Conversation(assistant);
 *   const turn = await c.turn(text, { locale, state });   // state: the session's CrisisState
 *
 * - A disclosure (or an escalation) gets the **first reply**: one short message that believes
 *   the person, gives the one or two numbers of their level, one next step and one line on
 *   privacy. The guidance card and the other contacts are behind buttons (`more`, `card`).
 * - While the crisis state is open (a day), **follow-ups** are read in its context: short cries,
 *   where they are, how many people, "I can only text", "is it safe to call" get short safety
 *   texts, one question at a time ("Are you safe right now?"), never an unrelated report quote.
 *   Greetings and thanks get a short reply; off-topic questions a polite "I only know about…";
 *   a practical question a guidance card answers confidently still gets its card.
 * - Without an open state the assistant answers as usual (`respond`).
 *
 * Triage runs first on every message, in crisis or not: an emergency always gets its numbers.
 */
import type { Answer } from "../answers/types.ts";
import type { Assistant, Understanding } from "../assistant.ts";
import { type Locale, localeTag, parseLocale, localeOf } from "../language/languages.ts";
import type { Contact, Level, TriageResult } from "../triage/types.ts";
import { UNDERSTANDING_PARAMS } from "../understanding/understand.ts";
import { type CrisisState, isOpen, openCrisis } from "./state.ts";
import { type FollowUpTopic, topicByPattern } from "./topics.ts";

/** What the conversation needs from the assistant. */
export type ConversationCore = Pick<Assistant, "understand" | "respond" | "t" | "route" | "card">;

/** The follow-up questions, asked one at a time, each once per disclosure. */
export const CRISIS_QUESTIONS = ["safe_now"] as const;
export type CrisisQuestion = (typeof CRISIS_QUESTIONS)[number];

/** Preferred numbers of the first reply per level (ids in contacts.yaml); other directories fall back to the first phones. */
const FIRST_NUMBERS: Record<Exclude<Level, "none">, string[]> = {
  emergency: ["emergency_112", "family_line_111"],
  trafficking: ["trafficking_hotline_116_16", "family_line_111"],
  at_risk: ["trafficking_hotline_116_16"],
};
/** The text line for people who cannot call. */
const TEXT_LINE = "family_line_111";

export interface FirstReply {
  level: Exclude<Level, "none">;
  intro: string;
  /** The one or two numbers for the level (every one has a phone). */
  contacts: Contact[];
  nextStep: string;
  privacy: string;
}

export interface FollowUp {
  topic: FollowUpTopic;
  text: string;
  /** The numbers the text names first (e.g. 111 for people who cannot call), for display. */
  contacts: Contact[];
}

export interface AskedQuestion {
  id: CrisisQuestion;
  text: string;
}

export type ConversationTurn =
  | { kind: "first"; u: Understanding; triage: TriageResult; state: CrisisState; first: FirstReply }
  | { kind: "follow"; u: Understanding; triage: TriageResult; state: CrisisState; follow: FollowUp; question?: AskedQuestion; answer?: Answer }
  | { kind: "answer"; u: Understanding; triage: TriageResult; state?: CrisisState; answer: Answer | null };

export interface TurnOptions {
  locale: Locale;
  state?: CrisisState | undefined;
  now?: number;
  /** The answer for an ordinary question is computed only when asked (groups skip it for disclosures). */
  answer?: boolean;
}

export class Conversation {
  constructor(private readonly core: ConversationCore) {}

  /** One message: triage first, then the crisis context, then the ordinary answer. */
  async turn(text: string, options: TurnOptions): Promise<ConversationTurn> {
    const now = options.now ?? Date.now();
    const u = this.core.understand(text, { locale: options.locale });
    const triage = u.triage;
    const locale = options.locale;
    const open = isOpen(options.state, now) ? options.state : undefined;

    if (triage.level !== "none") {
      const { state, escalated } = openCrisis(open, { level: triage.level, indicators: triage.indicators, locale: localeTag(locale) }, now);
      // A danger told in an open emergency crisis ("I want to end it" after "he beats me") gets the
      // emergency reply with its numbers again, as it does while a case is open; a bare cry
      // ("help", "I'm scared") is a follow-up and gets its question. Questions asked and the
      // handoff offer are kept, so nothing is offered twice.
      if (escalated || tellsDanger(triage)) return { kind: "first", u, triage, state, first: this.firstReply(triage, locale) };
      return this.followUp(u, triage, state, locale, "detail");
    }
    if (open) return this.followUp(u, triage, open, locale);
    let answer: Answer | null = null;
    if (options.answer !== false) answer = await this.core.respond(u, { locale, triage });
    return { kind: "answer", u, triage, answer };
  }

  /** The short first reply for a disclosure (also for a confirmed check-in or a guided check's result). */
  firstReply(triage: Pick<TriageResult, "level" | "contacts">, locale: Locale): FirstReply {
    const level = triage.level === "none" ? "at_risk" : triage.level;
    const contacts = firstNumbers(level, triage.contacts);
    const phone = contacts[0]?.phone ?? "116 16";
    return {
      level,
      intro: this.core.t(locale, `conversation.first.${level}.intro`, { phone }),
      contacts,
      nextStep: this.core.t(locale, `conversation.first.${level}.next_step`, { phone }),
      privacy: this.core.t(locale, "conversation.first.privacy"),
    };
  }

  /**
   * The full contact list of a level ("More contacts"): only contacts the person can reach, so
   * an organisation without a verified number is left out (the directory has no links).
   */
  moreContacts(level: Exclude<Level, "none">, indicators: string[], locale: Locale): Contact[] {
    return (this.core.route(level, indicators, locale)?.contacts ?? []).filter((c) => c.phone);
  }

  /** The answer to a follow-up question (a Yes / No button or a typed yes / no). */
  answerQuestion(state: CrisisState, id: string, yes: boolean, locale: Locale, contacts: readonly Contact[] = []): { state: CrisisState; follow: FollowUp } {
    const next: CrisisState = { ...state, asked: state.asked.includes(id) ? state.asked : [...state.asked, id] };
    delete next.pending;
    const key = id === "safe_now" ? (yes ? "safe_yes" : "safe_no") : "acknowledge";
    const directory = contacts.length ? contacts : this.moreContacts(state.level, state.indicators, locale);
    return { state: next, follow: this.follow(key === "safe_no" ? "no" : "yes", key, locale, directory) };
  }

  private async followUp(u: Understanding, triage: TriageResult, state: CrisisState, locale: Locale, forced?: FollowUpTopic): Promise<ConversationTurn> {
    const directory = triage.contacts.length ? triage.contacts : this.moreContacts(state.level, state.indicators, locale);
    const intent = u.intent && u.intent.known && u.intent.p >= UNDERSTANDING_PARAMS.intentMin ? u.intent.label : undefined;
    let topic = forced === "detail" ? (topicByPattern(u.input.text) ?? "detail") : (topicByPattern(u.input.text) ?? topicOfIntent(intent));
    // "What is the weather in Astana?" names a city but says nothing about where the person is.
    if (topic === "location" && intent === "off_topic" && u.input.text.includes("?")) topic = "off_topic";

    // A typed yes or no answers the question waiting for one.
    if ((topic === "yes" || topic === "no") && state.pending) {
      const answered = this.answerQuestion(state, state.pending, topic === "yes", locale, directory);
      return { kind: "follow", u, triage, state: answered.state, follow: answered.follow };
    }
    // A practical question a guidance card answers confidently still gets its card.
    if (topic === undefined && intent !== undefined && !NOT_CARDS.has(intent)) {
      const answer = this.core.card(intent, locale);
      if (answer) return { kind: "follow", u, triage, state, follow: this.follow("detail", "card_intro", locale, directory), answer };
    }
    const chosen = topic ?? "detail";
    const follow = this.follow(chosen, chosen, locale, directory);
    const question = QUIET_TOPICS.has(chosen) ? undefined : this.nextQuestion(state, locale);
    const next: CrisisState = question ? { ...state, asked: [...state.asked, question.id], pending: question.id } : state;
    return { kind: "follow", u, triage, state: next, follow, ...(question ? { question } : {}) };
  }

  private nextQuestion(state: CrisisState, locale: Locale): AskedQuestion | undefined {
    if (state.pending) return undefined;
    const id = CRISIS_QUESTIONS.find((q) => !state.asked.includes(q));
    return id ? { id, text: this.core.t(locale, `conversation.questions.${id}`) } : undefined;
  }

  private follow(topic: FollowUpTopic, key: string, locale: Locale, directory: readonly Contact[]): FollowUp {
    const contacts = followContacts(key, directory);
    return { topic, text: this.core.t(locale, `conversation.follow.${key}`), contacts };
  }
}

/** The rule for a short cry for help or fear with nothing else (knowledge/triage/rules.yaml). */
const CRY_RULE = "cry_for_help";

/** An emergency the message tells (a danger, self-harm), not only a cry for help. */
function tellsDanger(triage: TriageResult): boolean {
  return triage.level === "emergency" && triage.rules.some((rule) => rule !== CRY_RULE);
}

/** Intents that are not guidance cards. */
const NOT_CARDS = new Set(["factual", "greeting", "thanks", "smalltalk", "help_cry", "crisis_detail", "yes", "no", "off_topic"]);
/** Topics after which no question is asked (a greeting, thanks, off-topic, an answer). */
const QUIET_TOPICS = new Set<FollowUpTopic>(["greeting", "thanks", "off_topic", "yes", "no"]);

function topicOfIntent(intent: string | undefined): FollowUpTopic | undefined {
  switch (intent) {
    case "help_cry":
      return "cry";
    case "crisis_detail":
    case "factual":
      return "detail";
    case "greeting":
    case "smalltalk":
      return "greeting";
    case "thanks":
      return "thanks";
    case "off_topic":
      return "off_topic";
    case "yes":
      return "yes";
    case "no":
      return "no";
    default:
      return undefined;
  }
}

/** The numbers a follow-up text names, in its order (111 first for people who cannot call). */
function followContacts(key: string, directory: readonly Contact[]): Contact[] {
  const byId = (id: string) => directory.find((c) => c.id === id && c.phone);
  const pick = (...ids: string[]) => ids.flatMap((id) => byId(id) ?? []);
  switch (key) {
    case "cannot_call":
      return pick(TEXT_LINE, "emergency_112");
    case "safe_to_call":
      return pick(TEXT_LINE, "trafficking_hotline_116_16");
    case "cry":
    case "safe_no":
      return pick("emergency_112", TEXT_LINE);
    case "location":
    case "people":
    case "detail":
    case "safe_yes":
      return pick("trafficking_hotline_116_16", "emergency_112");
    default:
      return [];
  }
}

function firstNumbers(level: Exclude<Level, "none">, contacts: readonly Contact[]): Contact[] {
  const withPhone = contacts.filter((c) => c.phone);
  const preferred = FIRST_NUMBERS[level].flatMap((id) => withPhone.find((c) => c.id === id) ?? []);
  if (preferred.length > 0) return preferred;
  return withPhone.slice(0, level === "at_risk" ? 1 : 2);
}

/** The crisis state's locale, for replies after a restart. */
export function stateLocale(state: CrisisState): Locale {
  return parseLocale(state.locale) ?? localeOf("en");
}
