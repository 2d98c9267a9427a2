/**
 * The shape of a guidance card, validated with zod when `knowledge/cards/*.yaml` is loaded.
 *
 * A card is a short, practical answer to one kind of question a migrant asks ("the boss keeps
 * my passport"), written in all six languages, with the passages that back each statement.
 */
import { z } from "zod";
import { LANGUAGES, type Lang } from "../language/languages.ts";

/** Longest body, in characters, in any language: a card must fit on a phone screen. */
export const MAX_BODY_CHARS = 600;

/** The trafficking hotline as every body must end with it. */
export const HOTLINE_NUMBER = "116 16";

/**
 * Review status of one translation.
 * - `source`: the text the citations were checked against (English);
 * - `draft`: translated, not yet checked by a native speaker;
 * - `reviewed`: checked by a native speaker (say who in `review_notes`).
 */
export const REVIEW_STATUSES = ["source", "draft", "reviewed"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

const perLanguage = <T extends z.ZodTypeAny>(value: T) =>
  z.object(Object.fromEntries(LANGUAGES.map((l) => [l, value])) as Record<Lang, T>).strict();

export const citationSchema = z
  .object({
    /** Document id from knowledge/manifest.yaml. */
    doc: z.string().min(1),
    /** Passage id, `<doc>:<hash>` as produced by ingestion. */
    passage: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{6,}$/, "passage id must look like doc-id:hash"),
    /** Human locator, copied from the passage ("TIP 2021 — Protection, para 3 (part 4/7)"). */
    locator: z.string().min(1),
    /** Exact words from the passage that back the statement (checked by the tests). */
    quote: z.string().min(10),
  })
  .strict();

export const cardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id: lower-case words joined by hyphens"),
    topic: z.string().min(3),
    /** Contact ids from knowledge/contacts.yaml, most important first. */
    contacts: z.array(z.string().min(1)).min(1),
    review: perLanguage(z.enum(REVIEW_STATUSES)),
    review_notes: z.string().optional(),
    citations: z.array(citationSchema).min(1),
    /** Ways people ask this, per language; the matcher learns from them. */
    questions: perLanguage(z.array(z.string().min(3)).min(3)),
    body: perLanguage(z.string().min(20)),
  })
  .strict();

export type Citation = z.infer<typeof citationSchema>;
export type Card = z.infer<typeof cardSchema>;
