/**
 * The shape of a quiz question in the bank (`knowledge/quiz/*.yaml`), as a zod schema so that
 * a bad entry is reported with its file, id and field. Questions are written in English, the
 * language of the sources; `translations` may add other languages, each a full version
 * (question, options, explanation) with the options in the same order.
 */
import { z } from "zod";
import { LANGUAGES, type Lang } from "../language/languages.ts";

/** The themes trainers pick from (`/quiz <topic>`); labels live in `prompts/<lang>/quiz.yaml`. */
export const TOPICS = [
  "at-risk", // who is at risk
  "recruitment", // recruitment tricks and how victims are controlled
  "penalties", // laws and legal penalties
  "protection", // victim protection and rights
  "shelters-hotlines", // shelters, crisis centres, hotlines
  "figures", // figures by year
  "ngos", // NGOs and international organisations
  "government", // prosecution, training, cooperation, corruption
] as const;
export type Topic = (typeof TOPICS)[number];

export const DIFFICULTIES = ["easy", "medium", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** Telegram's limits for quiz polls; Slack's button label limit is stricter (a warning only). */
export const LIMITS = {
  question: 300,
  option: 100,
  minOptions: 2,
  maxOptions: 10,
  explanation: 200,
  explanationLineBreaks: 2,
  slackButton: 75,
} as const;

const text = z.string().trim().min(1, "is empty");

export const translationSchema = z.object({
  question: text,
  options: z.array(z.union([text, z.number().transform(String)])),
  explanation: text,
});

export const citationSchema = z.object({
  /** Document id, the source file stem (`tip-2014-kazakhstan`). */
  doc: text,
  /** Passage id from the corpus (`tip-2014-kazakhstan:bb586bee5e`). */
  passage: text,
  /** The passage's human locator, for reviewers and for the explanation shown after a poll. */
  locator: text,
});

export const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes"),
    topic: z.enum(TOPICS),
    difficulty: z.enum(DIFFICULTIES),
    question: text,
    /** Numbers are allowed unquoted in YAML and read as text. */
    options: z.array(z.union([text, z.number().transform(String)])),
    /** Index of the correct option, 0 for the first. */
    correct: z.number().int().min(0),
    /**
     * The correct answer's key fact: text that must appear both in the correct option and in
     * the cited passage (and in no other option). Defaults to the whole correct option.
     */
    key: z.union([text, z.array(text).min(1)]).optional(),
    explanation: text,
    citation: citationSchema,
    /** Languages this question is available in: `en` plus one entry per translation. */
    languages: z.array(z.enum(LANGUAGES)).min(1),
    translations: z.record(z.enum(LANGUAGES), translationSchema).optional(),
    /** Set by `hotline quiz generate`; a person removes it after checking the question. */
    review: z.string().optional(),
  })
  .strict();

export type QuestionEntry = z.infer<typeof questionSchema>;
export type Translation = z.infer<typeof translationSchema>;
export type Citation = z.infer<typeof citationSchema>;

export const bankFileSchema = z.object({ questions: z.array(z.unknown()) }).passthrough();

/** A question as the bank holds it, with the file it came from. */
export interface BankQuestion extends QuestionEntry {
  file: string;
}

/** The question text in one language, ready to show. */
export interface LocalizedQuestion {
  id: string;
  lang: Lang;
  topic: Topic;
  difficulty: Difficulty;
  question: string;
  options: string[];
  correct: number;
  explanation: string;
  citation: Citation;
}
