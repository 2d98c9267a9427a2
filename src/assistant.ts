/**
 * The one core API every adapter calls (console, CLI, Telegram, Slack).
 *
 *   const assistant = await createAssistant(config);          // src/app.ts wires triage, cards, stats
 *   const turn = await assistant.handle(text, { locale });   // triage first, then the answer
 *
 * `triage()` is synchronous, needs no index and never throws, so an adapter can send the
 * safety reply before it awaits anything else. `ask()` goes to the guidance cards first, then
 * to the passages of the reports.
 */
import type { Config } from "./config.ts";
import { loadCorpus } from "./knowledge/corpus.ts";
import type { Corpus, DocumentMeta, Passage } from "./knowledge/types.ts";
import { Translations } from "./knowledge/translations.ts";
import { detectLanguage, type Detection } from "./language/detect.ts";
import { LANGUAGE_NAMES, LANGUAGES, type Lang, type Locale, localeOf } from "./language/languages.ts";
import { Prompts, prompts as sharedPrompts } from "./prompts.ts";
import { Glossary } from "./retrieval/glossary.ts";
import { HybridRetriever } from "./retrieval/hybrid-retriever.ts";
import { isFollowUp, type PreparedQuery, prepareQuery, withContext } from "./retrieval/query.ts";
import type { Hit } from "./retrieval/hybrid-retriever.ts";
import { splitSentences } from "./knowledge/sentences.ts";
import { VectorIndex } from "./retrieval/vector-index.ts";
import { indexTexts } from "./retrieval/index-text.ts";
import { DecisionModel } from "./retrieval/decision.ts";
import { LEAD } from "./retrieval/params.ts";
import { loadQuestions, type QuestionSet } from "./knowledge/questions.ts";
import { createEmbeddings } from "./retrieval/create-embeddings.ts";
import { cleanInput, type CleanInput } from "./answers/input.ts";
import type { Answer, Citation, Notice } from "./answers/types.ts";
import { pickLead } from "./answers/lead.ts";
import { isPersonalQuestion } from "./answers/personal.ts";
import type { Contact, TriageResult } from "./triage/types.ts";
import { type Card, type CardMatcher, cardText, cardsForIndicators, resolveCitations } from "./cards/index.ts";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { logger } from "./logger.ts";
import { uzbekLatinToCyrillic } from "./language/transliterate.ts";
import { type Models, openModels } from "./understanding/models.ts";
import { type CheckBook, loadChecks, checkResult, type GuidedCheckState } from "./understanding/checks.ts";
import { type IntentView, type LanguageView, Understander, UNDERSTANDING_PARAMS } from "./understanding/understand.ts";
import { CONVERSATION_INTENTS } from "./understanding/corpus.ts";
import type { Level } from "./triage/types.ts";
import type { Analysis } from "./triage/matcher.ts";

/** What triage must offer the assistant (implemented in src/triage/). */
export interface TriageEngine {
  assess(text: string, locale?: Locale, written?: Locale): TriageResult;
  /** The rules' full analysis (matches and context notes), for `hotline triage`. */
  explain?(text: string): Analysis;
  /** The fixed route (contacts, reply) of a level, as if a rule for `indicators` had matched. */
  route?(level: Exclude<Level, "none">, indicators: string[], locale: Locale, rules: string[]): TriageResult;
  /** The contacts directory, to show a card's contacts. */
  readonly directory?: { contacts: Contact[] };
}

/** Aggregate triage counts for NGO reporting (src/triage/stats.ts): no text, no ids. */
export interface TriageStatsRecorder {
  record(result: Pick<TriageResult, "level" | "indicators" | "locale">): void;
}

/** Guidance cards (implemented in src/cards/). */
export interface GuidanceCards {
  matcher: CardMatcher;
  cards: readonly Card[];
}

export interface AskOptions {
  /** The person's chosen or remembered language; detection decides when absent. */
  locale?: Locale;
  /**
   * Who is asking. Migrants (Telegram, the console; the default) get a guidance card whenever
   * one fits, except for figure questions. NGO staff (Slack) get the cited passages for a
   * general question, and a card only when the question is about someone's own situation or
   * matches a card strongly.
   */
  audience?: "migrant" | "staff";
  /**
   * The triage result for this message, if any: a disclosure's indicators choose the card
   * written for them (unpaid wages → the wages card), so the card follows the safety reply.
   */
  triage?: Pick<TriageResult, "level" | "indicators">;
  /**
   * The previous question of the conversation (a Slack thread): a follow-up that is not
   * self-contained ("and how many of them were men?") is searched together with it.
   */
  context?: string;
}

/**
 * One pass over a message (`Assistant.understand`): everything the router and the adapters
 * need, computed once. Never the text itself beyond `input`, which is not stored anywhere.
 */
export interface Understanding {
  input: CleanInput;
  language: LanguageView;
  /** The intent model's reading (a card id, `factual`, `greeting`...); absent without models. */
  intent?: IntentView;
  /** The rules' decision, with the model's view and the check-in when it is offered. */
  triage: TriageResult;
}

export interface Turn {
  input: CleanInput;
  locale: Locale;
  triage: TriageResult;
  /** Null when answering failed; the triage reply still stands. */
  answer: Answer | null;
}

export interface DocumentSummary {
  id: string;
  title: string;
  publisher: string;
  date: string;
  covers: string;
  passages: number;
}

/**
 * For staff, a card match this strong answers even a question not phrased about the asker;
 * weaker matches give way to a confident passage answer (measured on the cards and QA
 * evaluation sets: cards' own questions score 0.44 at the median, QA questions that drift to a
 * card 0.32).
 */
const STRONG_CARD_MATCH = 0.35;
/** A weaker card match still answers when the reports have nothing and the intent model reads the same card. */
const AGREED_CARD_MATCH = 0.15;

export class Assistant {
  private constructor(
    readonly corpus: Corpus,
    private readonly retriever: HybridRetriever,
    private readonly glossary: Glossary,
    readonly prompts: Prompts,
    private readonly triageEngine: TriageEngine | undefined,
    private readonly idf: (term: string) => number,
    private readonly guidance: GuidanceCards | undefined,
    private readonly stats: TriageStatsRecorder | undefined,
    readonly understander: Understander,
    readonly translations: Translations,
  ) {}

  static async create(
    config: Pick<Config, "knowledgeDir" | "dataDir" | "EMBEDDINGS" | "EMBEDDINGS_MODEL"> & Partial<Pick<Config, "modelsDir">>,
    options: {
      corpus?: Corpus;
      triage?: TriageEngine;
      cards?: GuidanceCards;
      stats?: TriageStatsRecorder;
      rebuildIndex?: boolean;
      prompts?: Prompts;
      /** Questions per passage to index instead of knowledge/questions/ (the decision's calibration holds some out). */
      questions?: QuestionSet;
      /** The trained classifiers; `false` runs on the rules alone (default: open or train them). */
      models?: Models | false;
      /** Translated passages (default: `knowledge/translations/`; a bad file stops start-up naming it). */
      translations?: Translations;
      /** `false` leaves the translated passages out of the search (the English-only route, for `hotline eval`). */
      nativeIndex?: boolean;
    } = {},
  ): Promise<Assistant> {
    const corpus = options.corpus ?? loadCorpus(config.knowledgeDir);
    const glossary = Glossary.load(join(config.knowledgeDir, "glossary.yaml"));
    const { embeddings, name } = await createEmbeddings(config);
    const vectors = await VectorIndex.open({
      dir: join(config.dataDir, "index"),
      hash: corpus.hash,
      embedderName: name,
      embeddings,
      passages: corpus.passages,
      texts: indexTexts(corpus),
      rebuild: options.rebuildIndex,
      onWarning: (message) => logger().warn({ event: "index" }, message),
    });
    const translations = options.translations ?? Translations.load(config.knowledgeDir, corpus.passages);
    const retriever = HybridRetriever.create(corpus, vectors, embeddings, {
      questions: options.questions ?? openQuestions(config.knowledgeDir, corpus),
      decision: openDecisionModel(config.knowledgeDir),
      ...(options.nativeIndex === false ? {} : { translations }),
    });
    const models = options.models === false ? undefined : (options.models ?? (await openUnderstandingModels(config, options.cards)));
    const understander = new Understander(models, openChecks(config.knowledgeDir));
    return new Assistant(
      corpus,
      retriever,
      glossary,
      options.prompts ?? sharedPrompts(),
      options.triage,
      (t) => retriever.idf(t),
      options.cards,
      options.stats,
      understander,
      translations,
    );
  }

  /** Detects the language of a message; `preferred` wins for signal-less text. */
  detect(text: string, preferred?: Locale): Detection {
    return this.understander.language(text, preferred);
  }

  /**
   * One pass over a message: clean text, language, intent, and the triage decision (rules
   * first, the model's view and a check-in beside them). Synchronous and never throws.
   */
  understand(text: string, options: Pick<AskOptions, "locale" | "triage"> = {}): Understanding {
    const input = cleanInput(text);
    const language = this.safely(() => this.understander.language(input.text, options.locale), () => {
      const d = detectLanguage(input.text, options.locale ?? localeOf("en"));
      return { ...d, tag: d.locale.lang, source: "rules" as const };
    });
    const intent = input.empty ? undefined : this.safely(() => this.understander.intent(input.text), () => undefined);
    const written = language.supported && language.confidence > 0 ? language.locale : undefined;
    // A caller that already triaged this message (the safety reply went out first) passes the
    // result: the rules and the model do not run, and the statistics do not count it, twice.
    const triage = isTriageResult(options.triage) ? options.triage : this.triageClean(input.text, options.locale ?? language.locale, intent, written);
    return { input, language, ...(intent ? { intent } : {}), triage };
  }

  private safely<T>(f: () => T, fallback: () => T): T {
    try {
      return f();
    } catch (err) {
      logger().warn({ event: "model_failed", err: (err as Error).message }, "a classifier failed; using the rules alone");
      return fallback();
    }
  }

  /** Fixed text in a language (from prompts/). */
  t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
    return this.prompts.t(locale, key, vars);
  }

  /**
   * Fixed-rule triage. Synchronous and never throws: if the engine fails, the result still
   * routes to the hotline (fail-safe), because a missed disclosure costs more than a false alarm.
   */
  triage(text: string, locale?: Locale): TriageResult {
    const input = cleanInput(text);
    return this.triageClean(input.text, locale ?? this.detect(input.text).locale);
  }

  /** Triage of already cleaned text: the rules decide; the model may add a check-in. */
  private triageClean(text: string, locale: Locale, intent?: IntentView, written?: Locale): TriageResult {
    const replyLocale = () => locale;
    if (!this.triageEngine) return { level: "none", indicators: [], rules: [], locale: replyLocale(), contacts: [], reply: null };
    try {
      const result = this.withSecondNet(this.triageEngine.assess(text, locale, written), text, intent);
      this.recordStats(result);
      return result;
    } catch (err) {
      logger().error({ event: "triage_failed", err: (err as Error).message }, "triage failed; sending the general safety reply");
      const fallbackLocale = replyLocale();
      return {
        level: "at_risk",
        indicators: [],
        rules: ["fail-safe"],
        locale: fallbackLocale,
        contacts: [],
        reply: this.t(fallbackLocale, "answers.error"),
      };
    }
  }

  /** The model's view and, when it sees more than the rules, a check-in question. Never throws. */
  private withSecondNet(result: TriageResult, text: string, intent: IntentView | undefined): TriageResult {
    // A bot command alone ("/start") is a button of the interface, not words to read.
    if (result.failSafe || BOT_COMMAND_ONLY.test(text)) return result;
    try {
      const risk = this.understander.risk(text);
      const withModel: TriageResult = risk
        ? { ...result, model: { level: risk.level, p: round(risk.p), indicators: risk.indicators.map((i) => ({ id: i.label, p: round(i.p) })) } }
        : result;
      const check = this.understander.checkIn(result.level, result.indicators, risk, intent ?? this.understander.intent(text), undefined, result.framing, result.cleared);
      if (!check) return withModel;
      return { ...withModel, check: { ...check, text: this.checkQuestionText(check.question, result.locale) } };
    } catch (err) {
      logger().warn({ event: "model_failed", err: (err as Error).message }, "the risk model failed; the rules' decision stands");
      return result;
    }
  }

  /** The rules' analysis of a message (matched rules, context notes), for audit tools. */
  explainTriage(text: string): Analysis | undefined {
    return this.triageEngine?.explain?.(cleanInput(text).text);
  }

  /** The text of a check question (prompts/<lang>/check.yaml). */
  checkQuestionText(question: string, locale: Locale): string {
    return this.t(locale, `check.questions.${question}`);
  }

  /**
   * The person answered "yes" to a check question: the fixed route for its indicator, the same
   * contacts and reply as if a rule had matched it. Undefined for an unknown question.
   */
  confirmCheck(question: string, locale: Locale): TriageResult | undefined {
    const q = this.understander.checks?.questions.get(question);
    if (!q || !this.triageEngine?.route) return undefined;
    const result = this.triageEngine.route(q.level, [q.indicator], locale, [`check:${q.id}`]);
    this.recordStats(result);
    return result;
  }

  /** The fixed route of a level (contacts, reply) for these indicators; undefined without triage. */
  route(level: Exclude<Level, "none">, indicators: string[], locale: Locale): TriageResult | undefined {
    return this.triageEngine?.route?.(level, indicators, locale, ["route"]);
  }

  /** The guided check's questions in order (ids), empty when checks.yaml did not load. */
  guidedCheckQuestions(): string[] {
    return this.understander.checks?.order.map((q) => q.id) ?? [];
  }

  /**
   * The guided check after one more answer: the next question, or the fixed result (a triage
   * result on the rules' route, level `none` when every answer was "no").
   */
  guidedCheckStep(state: GuidedCheckState, yes: boolean, locale: Locale): { state: GuidedCheckState; next?: string; result?: TriageResult } {
    const order = this.guidedCheckQuestions();
    const current = order[state.step];
    const answered: GuidedCheckState = { step: state.step + 1, yes: yes && current ? [...state.yes, current] : state.yes };
    if (answered.step < order.length) return { state: answered, next: order[answered.step]! };
    const book = this.understander.checks!;
    const { level, indicators } = checkResult(book, answered.yes);
    if (level === "none" || !this.triageEngine?.route) {
      return { state: answered, result: { level: "none", indicators: [], rules: ["check"], locale, contacts: [], reply: null } };
    }
    const result = this.triageEngine.route(level, indicators, locale, answered.yes.map((id) => `check:${id}`));
    this.recordStats(result);
    return { state: answered, result };
  }

  private recordStats(result: TriageResult): void {
    try {
      this.stats?.record(result);
    } catch (err) {
      logger().warn({ event: "stats_failed", err: (err as Error).message }, "could not record triage statistics");
    }
  }

  /**
   * Answers a question: a guidance card when one matches confidently (practical questions a
   * migrant asks, answered in their language), otherwise passages from the reports.
   */
  async ask(text: string, options: AskOptions = {}): Promise<Answer> {
    return this.respond(this.understand(text, options), options);
  }

  /**
   * The router for the answer: after a disclosure the card for what was disclosed; a greeting,
   * thanks, a cry for help or an off-topic request gets a short reply of its own; a confident
   * card intent gets its card; a factual one the passages; otherwise the card matcher and the
   * passages decide as before.
   */
  async respond(u: Understanding, options: AskOptions = {}): Promise<Answer> {
    const input = u.input;
    const triage = options.triage ?? u.triage;
    const locale = options.locale ?? u.language.locale;
    const intent = u.intent && u.intent.known && u.intent.p >= UNDERSTANDING_PARAMS.intentMin ? u.intent.label : undefined;
    // NGO staff get the reports' passages, never a migrant card unless they ask for one; a
    // passage id shows that passage. Greetings, thanks and cries for help keep their replies.
    if ((options.audience === "staff" && !asksForCard(input.text) && !STAFF_CONVERSATION.has(intent ?? "")) || PASSAGE_ID.test(input.text)) {
      return (await this.answerFromPassages(input, options)).answer;
    }
    if (intent && !input.empty && (triage.level === "none" || intent === "help_cry" || intent === "crisis_detail")) {
      const reply = CONVERSATION_REPLY[intent];
      if (intent === "off_topic") {
        // "Off topic" is a decline: it stands only when the reports have nothing confident to
        // say ("how long is Kazakhstan's land border?" reads like geography, but they answer it).
        // A word the reports' vocabulary and the glossary do not know ("погода", "курс") is the
        // off-topic part: then the passages found are about the rest ("Astana") and do not answer.
        const { answer: passages, query } = await this.answerFromPassages(input, options);
        if (passages.found && query !== undefined && query.unexplained === 0) return passages;
      }
      if (reply) return this.conversationAnswer(input, locale, intent, reply);
    }
    if (intent === "factual") return (await this.answerFromPassages(input, options)).answer;
    const intentCard = intent ? this.guidance?.cards.find((c) => c.id === intent) : undefined;
    // The person's question first: "I worked without a patent and was not paid — will I be
    // fined if I tell?" asks about illegal work, whatever the disclosure's indicator.
    if (intentCard && u.intent!.p >= UNDERSTANDING_PARAMS.cardIntentMin) return this.cardUnlessFigure(intentCard, input, locale, options, true, true);
    // A story with a question ("…the boss does not pay. Will they jail me if I complain?"): the
    // asking clause says which card is wanted; a strong match there wins over the card of what
    // the story disclosed.
    const asking = askingClause(input.text);
    const asked = asking && this.guidance ? this.guidance.matcher.match(asking, options.locale) : undefined;
    if (asked?.confident && asked.score >= STRONG_CARD_MATCH) return this.cardUnlessFigure(asked.card, input, locale, options, true, false, u.intent);
    // After a disclosure, the card for what was disclosed, unless the intent model reads the
    // person as asking about another card ("I entered through the steppe and he does not pay —
    // will I be jailed if I complain?" discloses unpaid wages but asks about illegal entry).
    const indicated = this.indicatedCard(input.text, triage);
    // Only a message that asks (a question mark, or a story followed by its question) asks about
    // something else; a bare disclosure ("boss refuses to return my ID") gets its own card.
    const asks = asking !== undefined || /[?؟]/.test(input.text);
    const otherAsk = indicated && intentCard && asks && !cardsForIndicators(triage.indicators).includes(intentCard.id);
    if (indicated && !otherAsk) return this.cardAnswer(indicated, input, locale);
    const match = this.guidance && !input.empty ? this.guidance.matcher.match(input.text, options.locale) : undefined;
    if (match?.confident) return this.cardUnlessFigure(match.card, input, locale, options, match.score >= STRONG_CARD_MATCH, false, u.intent);
    // A migrant's practical question the matcher could not place: the intent model's card.
    if (intentCard && options.audience !== "staff") return this.cardUnlessFigure(intentCard, input, locale, options, false);
    // The matcher's best card (for the whole message or its asking clause) is also the intent
    // model's first reading: two weak signals that agree answer a migrant, unless the reports
    // answer a figure question.
    const top = u.intent?.label;
    const agreed = options.audience !== "staff" && top ? [match, asked].find((m) => m && m.card.id === top && m.score >= AGREED_CARD_MATCH) : undefined;
    if (agreed) return this.cardUnlessFigure(agreed.card, input, locale, options, false);
    return (await this.answerFromPassages(input, options)).answer;
  }

  /**
   * A figure question ("how long is the border?", "how many victims in 2020?") that the reports
   * answer is not a card's business, however close its words are to one; nor, for staff, a
   * general question not about someone's own situation (unless the card fits strongly).
   */
  private async cardUnlessFigure(card: Card, input: CleanInput, locale: Locale, options: AskOptions, strong: boolean, byIntent = false, intent?: IntentView): Promise<Answer> {
    const { answer: passages, query } = await this.answerFromPassages(input, options);
    // The card the matcher chose is also the intent model's reading: as good as an intent card.
    const agreed = intent !== undefined && intent.label === card.id && intent.p >= UNDERSTANDING_PARAMS.intentMin;
    // A number in a story ("200 thousand", "8 months") does not make it a figure question when
    // the intent model reads a practical question: only asking for a count does ("how many…").
    // A year ("in 2013") still marks a question about the reports.
    // Nor does an amount that looks like a year ("2000$"); and when the intent model is sure of
    // a card, not even a count ("айыппұл қанша?", how much is the fine).
    const personal = isPersonalQuestion(input.text);
    const years = query?.years.filter((y) => !isAmount(input.text, y)) ?? [];
    const figure =
      query !== undefined && (years.length > 0 || (!byIntent && query.asksCount) || (!byIntent && !agreed && !personal && query.numbers.length > 0));
    const staffWantsPassages = options.audience === "staff" && !personal && !strong;
    if (passages.found && (figure || staffWantsPassages)) return passages;
    return this.cardAnswer(card, input, locale);
  }

  private conversationAnswer(input: CleanInput, locale: Locale, intent: string, key: string): Answer {
    return {
      question: input.text,
      locale,
      kind: "conversation",
      intent,
      found: true,
      answer: this.t(locale, `answers.conversation.${key}`),
      lead: [],
      citations: [],
      notices: this.inputNotices(input, locale),
      suggestions: [],
    };
  }


  /**
   * After a disclosure, the card for what was disclosed: of the cards its indicators point to,
   * the one whose wording fits the message best.
   */
  private indicatedCard(text: string, triage: AskOptions["triage"]): Card | undefined {
    if (!this.guidance || !triage || triage.level === "none" || triage.indicators.length === 0) return undefined;
    const ids = cardsForIndicators(triage.indicators);
    if (ids.length === 0) return undefined;
    const ranked = this.guidance.matcher.rank(text, this.guidance.cards.length);
    const best = ranked.find((r) => ids.includes(r.card.id))?.card.id ?? ids[0];
    return this.guidance.cards.find((c) => c.id === best);
  }

  /** The guidance card with this id, answered in `locale` (for links from triage replies). */
  card(id: string, locale: Locale): Answer | undefined {
    const card = this.guidance?.cards.find((c) => c.id === id);
    return card ? this.cardAnswer(card, cleanInput(""), locale) : undefined;
  }

  /** Finds the card that best fits a message, if any fits confidently. */
  matchCard(text: string, locale?: Locale): string | undefined {
    const match = this.guidance?.matcher.match(cleanInput(text).text, locale);
    return match?.confident ? match.card.id : undefined;
  }

  private cardAnswer(card: Card, input: CleanInput, locale: Locale): Answer {
    const body = cardText(card, locale);
    const directory = new Map((this.triageEngine?.directory?.contacts ?? []).map((c) => [c.id, c]));
    const contacts = card.contacts.flatMap((id) => directory.get(id) ?? []);
    const citations = resolveCitations(card, this.corpus)
      .flatMap((r) => (r.passage ? [r.passage] : []))
      .map((passage, i) => this.citation(passage, i + 1, 1, locale));
    return {
      question: input.text,
      locale,
      kind: "card",
      found: true,
      answer: body,
      lead: [],
      citations,
      // Cards have no translated titles: English readers get the topic, others the localized heading.
      card: { id: card.id, title: locale.lang === "en" ? card.topic : this.t(locale, "cards.heading"), body, contacts },
      notices: this.inputNotices(input, locale),
      suggestions: [],
    };
  }

  /**
   * The language a question is read in: the detected one, unless detection only fell back to
   * English (no signal, or a language it does not know) while the person's language is another.
   */
  private questionLanguage(text: string, options: AskOptions, detection: Detection = this.detect(text, options.locale)): Lang {
    const weakEnglish = detection.locale.lang === "en" && (!detection.supported || detection.confidence < 0.5);
    return weakEnglish && options.locale && options.locale.lang !== "en" ? options.locale.lang : detection.locale.lang;
  }

  /** Answers from the passages of the reports only (no guidance cards). */
  async askPassages(text: string, options: AskOptions = {}): Promise<Answer> {
    return (await this.answerFromPassages(cleanInput(text), options)).answer;
  }

  /** The passage answer and the query it was searched with (none for empty input). */
  private async answerFromPassages(input: CleanInput, options: AskOptions): Promise<{ answer: Answer; query?: PreparedQuery }> {
    const detection = this.detect(input.text, options.locale);
    const locale = options.locale ?? detection.locale;
    const notices = [...this.inputNotices(input, locale), ...this.languageNotices(detection, locale, options.locale !== undefined)];
    const base = { question: input.text, locale, notices, lead: [], citations: [], suggestions: [] };

    if (input.empty) {
      return { answer: { ...base, kind: "empty", found: false, answer: this.t(locale, "answers.empty") } };
    }

    const lang = this.questionLanguage(input.text, options, detection);
    // A passage id ("tip-2021-kazakhstan-protection:0a1b2c3d4e") shows that passage, or nothing.
    const asId = /^\s*([a-z0-9-]+:[0-9a-f]{10}(?:-\d+)?)\s*$/.exec(input.text);
    if (asId) {
      const passage = this.passage(asId[1]!);
      if (!passage) return { answer: this.notFound(base, locale) };
      const first = splitSentences(passage.text)[0]?.text ?? passage.text;
      return {
        answer: { ...base, kind: "passages", found: true, answer: `${first} [1]`, lead: [{ text: first, citation: 1 }], citations: [this.citation(passage, 1, 1)] },
      };
    }
    // Only figures or punctuation ("88", "???"): ask for words rather than quote a random passage.
    if (!/\p{L}{2,}/u.test(input.text)) {
      return { answer: { ...base, kind: "empty", found: false, answer: this.t(locale, "answers.empty") } };
    }

    let query = prepareQuery(input.text, lang, this.glossary, this.retriever.vocabulary);
    // A follow-up in a thread ("and how many of them were men?") is read with the question before it.
    if (options.context && isFollowUp(query, input.text)) {
      const context = prepareQuery(cleanInput(options.context).text, this.questionLanguage(options.context, {}), this.glossary, this.retriever.vocabulary);
      query = withContext(query, context);
    }
    const { hits, confident } = await this.retriever.search(query, 6);
    if (!confident || hits.length === 0) return { answer: this.notFound(base, locale, query, hits), query };

    // Quote from the first hits; a continuation may run into the next part of a paragraph.
    const lead = pickLead(query, hits, this.idf, (id) => this.retriever.termsOf(id), { next: (p) => this.retriever.nextPart(p) });
    if (lead.length === 0) return { answer: this.notFound(base, locale, query, hits), query };

    // The best sentence's passage is cited first, then the other quoted ones, then other strong
    // passages up to LEAD.maxCitations; the lead itself reads in document order.
    const cited: Array<{ passage: Passage; score: number }> = [];
    const cite = (passage: Passage, score: number) => {
      if (!cited.some((c) => c.passage.id === passage.id)) cited.push({ passage, score });
    };
    for (const s of [...lead].sort((a, b) => b.score - a.score)) cite(s.passage, hits[s.hit]?.score ?? 0);
    for (const h of hits) if (cited.length < LEAD.maxCitations && h.coverage >= LEAD.minExtraCoverage) cite(h.passage, h.score);
    const citations: Citation[] = cited.map((c, i) => this.citation(c.passage, i + 1, c.score, locale));
    const leadOut = lead.map((s) => ({ text: s.text, citation: cited.findIndex((c) => c.passage.id === s.passage.id) + 1 }));
    // "In 2020 (TIP 2021 report): …" when the question names a year the quoted document covers.
    const leadDoc = this.document(lead[0]!.passage.docId);
    const year = leadDoc ? query.years.find((y) => this.retriever.inPeriod(leadDoc.id, y)) : undefined;
    const period =
      leadDoc && year !== undefined
        ? `${this.t(locale, "answers.period", { year, document: leadDoc.format === "tip-report" ? `${leadDoc.short} report` : leadDoc.short })} `
        : "";
    const answer: Answer = {
      ...base,
      kind: "passages",
      found: true,
      answer: period + leadOut.map((s) => `${s.text} [${s.citation}]`).join(" "),
      lead: leadOut,
      citations,
    };
    return { answer, query };
  }

  /** Triage first, then the answer; an answering failure never loses the triage reply. */
  async handle(text: string, options: AskOptions = {}): Promise<Turn> {
    const u = this.understand(text, options);
    const { input, triage } = u;
    const locale = options.locale ?? triage.locale;
    let answer: Answer | null = null;
    try {
      answer = await this.respond(u, { ...options, locale, triage });
    } catch (err) {
      logger().error({ event: "answer_failed", err: (err as Error).message }, "answering failed");
    }
    return { input, locale, triage, answer };
  }

  /**
   * How a question is searched, for glossary and ranking work (`hotline explain`): the English
   * terms it became, the fused hits with each score's parts (params.ts), the lexical, dense and
   * questions-field rankings, and the answer/decline decision with its features.
   */
  async explain(text: string, options: AskOptions = {}) {
    const input = cleanInput(text);
    const lang = this.questionLanguage(input.text, options);
    const query = prepareQuery(input.text, lang, this.glossary, this.retriever.vocabulary);
    const { hits, confident, rankings, decision } = await this.retriever.search(query, 8);
    const locator = (id: string) => this.passage(id)?.locator ?? id;
    return {
      language: lang,
      query,
      confident,
      decision,
      card: this.matchCard(input.text, options.locale),
      hits: hits.map((h) => ({ locator: h.passage.locator, passageId: h.passage.id, score: h.score, coverage: h.coverage, parts: h.parts })),
      lexical: rankings.lexical.slice(0, 8).map((h) => ({ locator: locator(h.passageId), score: h.score })),
      dense: rankings.dense.slice(0, 8).map((h) => ({ locator: locator(h.passageId), similarity: h.similarity })),
      questions: rankings.questions.slice(0, 5).map((h) => ({ locator: locator(h.passageId), score: h.score })),
      ownQuestions: rankings.ownQuestions.slice(0, 5).map((h) => ({ locator: locator(h.passageId), score: h.score })),
      native: rankings.native.slice(0, 5).map((h) => ({ locator: locator(h.passageId), score: h.score })),
    };
  }

  /** The documents the assistant answers from, for /sources. */
  documents(): DocumentSummary[] {
    return this.corpus.documents.map((d) => ({
      id: d.id,
      title: d.title,
      publisher: d.publisher,
      date: d.date,
      covers: d.covers,
      passages: d.passages.length,
    }));
  }

  passage(id: string): Passage | undefined {
    return this.retriever.passage(id);
  }

  document(id: string): DocumentMeta | undefined {
    return this.corpus.documents.find((d) => d.id === id);
  }

  /**
   * A citation of `passage`. For a reader of another language than English it carries the
   * translation (or, when that is stale or missing, the English with a note); `text` always
   * stays the English original.
   */
  citation(passage: Passage, rank: number, score = 0, locale?: Locale): Citation {
    const doc = this.document(passage.docId)!;
    const translated = locale ? this.translations.forPassage(passage, locale) : undefined;
    const translation = translated && {
      ...translated,
      ...(translated.status === "stale" || translated.status === "missing"
        ? { note: this.t(locale!, `answers.translation_${translated.status}`) }
        : {}),
    };
    return {
      rank,
      source: doc.id,
      title: doc.title,
      year: doc.year,
      locator: passage.locator,
      passageId: passage.id,
      text: passage.text,
      score: Math.round(score * 10000) / 10000,
      ...(translation ? { translation } : {}),
    };
  }

  /**
   * "The reports do not say this", and what they do cover nearest to the question: a question
   * the nearest passage answers (from knowledge/questions/, in the asker's language when there
   * is one) and its document, never a quote.
   */
  private notFound(base: Omit<Answer, "kind" | "found" | "answer">, locale: Locale, query?: PreparedQuery, hits: Hit[] = []): Answer {
    const suggestions = this.prompts.list(locale, "answers.suggestions");
    const near = query ? hits.slice(0, 3).find((h) => h.coverage >= LEAD.nearestMinCoverage) : undefined;
    const question = near && query ? this.retriever.nearestQuestion(near.passage.id, query, locale.lang) : undefined;
    const doc = near && this.document(near.passage.docId);
    if (question && doc) {
      const answer = this.t(locale, "answers.not_found_nearest", { question, document: `${doc.short}, ${doc.covers}` });
      return { ...base, kind: "not_found", found: false, answer, suggestions };
    }
    return { ...base, kind: "not_found", found: false, answer: this.t(locale, "answers.not_found"), suggestions };
  }


  /** Notices about the language; input notices (truncation, binary) are added once by the caller. */
  private languageNotices(detection: Detection, locale: Locale, chosen: boolean): Notice[] {
    const notices: Notice[] = [];
    if (!detection.supported && !chosen) {
      notices.push({
        code: "unsupported_language",
        text: this.t(locale, "answers.notice_unsupported", { languages: LANGUAGES.map((l) => LANGUAGE_NAMES[l]).join(", ") }),
      });
    }
    return notices;
  }

  /** Notices about what was done to the message itself. */
  inputNotices(input: CleanInput, locale: Locale): Notice[] {
    const notices: Notice[] = [];
    if (input.truncated) notices.push({ code: "truncated", text: this.t(locale, "answers.notice_truncated", { limit: "2,000" }) });
    if (input.hadBinary && !input.empty) notices.push({ code: "binary_removed", text: this.t(locale, "answers.notice_binary") });
    return notices;
  }
}

/** Conversation intents that keep their short reply for staff too (an off-topic guess does not: the decision declines). */
const STAFF_CONVERSATION = new Set(["greeting", "thanks", "yes", "no", "help_cry", "crisis_detail"]);
/** A message that is only a bot command ("/start", "/help@hotline_bot"). */
const BOT_COMMAND_ONLY = /^\s*\/[a-z0-9_]+(@\w+)?\s*$/i;
/** A passage id typed as the question. */
const PASSAGE_ID = /^\s*[a-z0-9-]+:[0-9a-f]{10}(?:-\d+)?\s*$/;
/** Staff asking for the migrants' guidance card ("show the card", "what do we tell a migrant", "карточк"). */
const CARD_REQUEST = /\b(guidance card|migrant card|the card|card for|show (me )?(a |the )?card|what (do|should) (we|i) tell (a |the )?(migrant|victim|worker|person)|advice for (a |the )?(migrant|victim|worker))\b|карточк|карта для мигранта|kartochka|карточкасы/iu;

/** A sum of money: the number is next to a currency sign or name ("2000$", "$2000", "2000 долларов"). */
const CURRENCY = "(?:[$€£₸]|usd|eur|dollar|доллар|долар|dollor|тенге|tenge|теңге|сом|som|рубл|rubl|сомон|somon)";
function isAmount(text: string, n: number): boolean {
  return new RegExp(String.raw`(?:${CURRENCY}\s?${n}(?!\d))|(?:(?<!\d)${n}\s?(?:тыс\S*\s?)?${CURRENCY})`, "iu").test(text);
}

/**
 * The asking clause of a story that ends in a question: the last sentence with a question mark
 * or, without one, the last sentence. Undefined for a single sentence (the whole message asks).
 */
export function askingClause(text: string): string | undefined {
  const sentences = text
    .split(/(?<=[.!?…。])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}{2,}/u.test(s));
  if (sentences.length < 2) return undefined;
  return [...sentences].reverse().find((s) => /[?؟]/.test(s)) ?? sentences[sentences.length - 1];
}

export function asksForCard(text: string): boolean {
  return CARD_REQUEST.test(text);
}

/** The short reply for each conversation intent (prompts: answers.conversation.<key>). */
const CONVERSATION_REPLY: Partial<Record<(typeof CONVERSATION_INTENTS)[number] | string, string>> = {
  greeting: "greeting",
  thanks: "thanks",
  smalltalk: "smalltalk",
  yes: "acknowledge",
  no: "acknowledge",
  help_cry: "help_cry",
  crisis_detail: "help_cry",
  off_topic: "off_topic",
};

function isTriageResult(t: AskOptions["triage"]): t is TriageResult {
  return t !== undefined && "contacts" in t && "locale" in t;
}

function round(p: number): number {
  return Math.round(p * 1000) / 1000;
}

/** Opens (or trains) the classifiers; the assistant runs on the rules alone if that fails. */
async function openUnderstandingModels(
  config: Pick<Config, "knowledgeDir" | "dataDir"> & Partial<Pick<Config, "modelsDir">>,
  cards: GuidanceCards | undefined,
): Promise<Models | undefined> {
  const trainingDir = join(config.knowledgeDir, "training");
  if (!existsSync(trainingDir)) {
    logger().warn({ event: "models_missing", dir: trainingDir }, "no training corpus; running on the rules alone");
    return undefined;
  }
  try {
    const { models, trained } = await openModels({
      trainingDir,
      cardIds: cards?.cards.map((c) => c.id) ?? [],
      extraIntent: cardPhrasings(cards),
      modelsDir: config.modelsDir ?? join(config.dataDir, "models"),
      onWarning: (message) => logger().warn({ event: "models" }, message),
      onInfo: (message) => logger().info({ event: "models" }, message),
    });
    if (trained.length) logger().info({ event: "models_trained", models: trained }, "classifiers built from knowledge/training");
    return models;
  } catch (err) {
    logger().warn({ event: "models_failed", err: (err as Error).message.slice(0, 300) }, "classifiers unavailable; running on the rules alone");
    return undefined;
  }
}

/** Every card's phrasings in every language (Uzbek also in Cyrillic), labelled with the card. */
export function cardPhrasings(cards: GuidanceCards | undefined): Array<{ text: string; intent: string }> {
  const out: Array<{ text: string; intent: string }> = [];
  for (const card of cards?.cards ?? []) {
    for (const [lang, list] of Object.entries(card.questions)) {
      for (const q of list) {
        out.push({ text: q, intent: card.id });
        if (lang === "uz") out.push({ text: uzbekLatinToCyrillic(q), intent: card.id });
      }
    }
  }
  return out;
}

/** Questions per passage (knowledge/questions/); wrong lines are logged and skipped, never fatal. */
function openQuestions(knowledgeDir: string, corpus: Corpus): QuestionSet {
  const set = loadQuestions(join(knowledgeDir, "questions"), corpus);
  for (const message of set.errors.slice(0, 20)) logger().warn({ event: "questions_error" }, message);
  if (set.warnings.length) logger().warn({ event: "questions_stale", count: set.warnings.length }, set.warnings[0]!);
  return set;
}

/** The calibrated answer/decline model (knowledge/decision-model.json), else the hand-set rule. */
function openDecisionModel(knowledgeDir: string): DecisionModel {
  const file = join(knowledgeDir, "decision-model.json");
  try {
    return DecisionModel.load(file);
  } catch (err) {
    logger().warn({ event: "decision_model", file, err: (err as Error).message.slice(0, 300) }, "no fitted decision model; using the hand-set coverage rule");
    return DecisionModel.handSet();
  }
}

function openChecks(knowledgeDir: string): CheckBook | undefined {
  const file = join(knowledgeDir, "triage", "checks.yaml");
  try {
    return loadChecks(file);
  } catch (err) {
    logger().warn({ event: "checks_failed", file, err: (err as Error).message.slice(0, 300) }, "check questions unavailable");
    return undefined;
  }
}
