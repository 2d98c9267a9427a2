/**
 * Guidance cards: short, practical answers in six languages, each statement backed by a cited
 * passage. Load them with `loadCards`, match messages with `createCardMatcher`, show them with
 * `cardText` and `resolveCitations`. The cards themselves live in `knowledge/cards/*.yaml`.
 */
export { loadCards, parseCard, DEFAULT_CARDS_DIR } from "./load.ts";
export { createCardMatcher, type CardMatch, type CardMatcher, type MatcherOptions } from "./matcher.ts";
export { cardText } from "./text.ts";
export { resolveCitations, type ResolvedCitation } from "./citations.ts";
export { isFactualQuestion } from "./factual.ts";
export { cardSchema, MAX_BODY_CHARS, HOTLINE_NUMBER, REVIEW_STATUSES, type Card, type Citation, type ReviewStatus } from "./types.ts";
export { cardsForIndicators, INDICATOR_CARDS } from "./indicator-cards.ts";
