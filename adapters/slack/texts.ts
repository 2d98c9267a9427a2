/**
 * Fixed texts for one reply, in one language, from `prompts/<lang>/slack.yaml` (and the shared
 * `answers.yaml`). Features take a `Texts` rather than the whole assistant.
 */
import type { Assistant } from "../../src/index.ts";
import type { Locale } from "../../src/index.ts";

export interface Texts {
  locale: Locale;
  t(key: string, vars?: Record<string, string | number>): string;
  /** True when the key exists (in English at least). */
  has(key: string): boolean;
}

export function textsFor(assistant: Assistant, locale: Locale): Texts {
  return {
    locale,
    t: (key, vars) => assistant.t(locale, key, vars),
    has: (key) => assistant.prompts.has(key),
  };
}
