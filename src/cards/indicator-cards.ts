/**
 * Which guidance card fits a disclosure: the ILO indicators triage found point to the cards
 * written for them, so the card shown after a safety reply is about what the person described
 * (unpaid wages → the wages card), even when the words also resemble another card.
 */
export const INDICATOR_CARDS: Readonly<Record<string, readonly string[]>> = {
  withholding_of_wages: ["wages-withheld"],
  retention_of_documents: ["documents-taken"],
  debt_bondage: ["debt-for-travel-or-housing"],
  restriction_of_movement: ["not-allowed-to-leave"],
  isolation: ["not-allowed-to-leave"],
  physical_sexual_violence: ["violence-or-threats", "forced-sex-work"],
  intimidation_threats: ["violence-or-threats"],
};

/** The cards the indicators point to, most specific first, without repeats. */
export function cardsForIndicators(indicators: readonly string[]): string[] {
  return [...new Set(indicators.flatMap((i) => INDICATOR_CARDS[i] ?? []))];
}
