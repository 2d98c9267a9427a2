import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { prompts } from "../src/prompts.ts";
import { LANGUAGES, localeOf } from "../src/language/languages.ts";
import { projectPath } from "../src/paths.ts";

const p = prompts();
// Staff-facing Slack texts may fall back to English; every migrant-facing text must exist in all six languages.
const ENGLISH_FALLBACK_ALLOWED = new Set(["slack"]);

describe("prompts", () => {
  it("has every English key in all six languages", () => {
    for (const lang of LANGUAGES) {
      const own = new Set(p.ownKeys(lang));
      const missing = p.keys().filter((k) => !own.has(k) && !ENGLISH_FALLBACK_ALLOWED.has(k.split(".")[0]!));
      expect(missing, `${lang} is missing`).toEqual([]);
    }
  });

  it("marks the review status of every prompts file", () => {
    for (const lang of LANGUAGES) {
      for (const file of readdirSync(projectPath("prompts", lang)).filter((f) => f.endsWith(".yaml"))) {
        const data = parse(readFileSync(projectPath("prompts", lang, file), "utf8")) as Record<string, unknown>;
        expect(typeof data._review, `prompts/${lang}/${file} needs a _review note`).toBe("string");
      }
    }
  });

  it("fills placeholders and derives Cyrillic Uzbek from Latin Uzbek", () => {
    expect(p.t(localeOf("en"), "answers.notice_truncated", { limit: "2,000" })).toContain("2,000 characters");
    const cyr = p.t(localeOf("uz", "cyrillic"), "answers.sources_heading");
    expect(cyr).toBe("Манбалар");
    expect(p.t(localeOf("uz", "cyrillic"), "console.safety_line")).toMatch(/^Хавф остидамисиз\? 112 га қўнғироқ қилинг/);
  });

  it("throws for a key that does not exist even in English", () => {
    expect(() => p.t(localeOf("ru"), "answers.no_such_key")).toThrow(/answers\.no_such_key/);
  });

  it("every language has only English's keys, each with the same placeholders (ICU MessageFormat)", () => {
    const problems: string[] = [];
    const tags = [...LANGUAGES, "uz-Cyrl"];
    for (const tag of tags) {
      for (const key of p.ownKeys(tag)) {
        if (!p.has(key)) {
          problems.push(`${tag}: ${key} is not an English key`);
          continue;
        }
        if (p.isList(key)) {
          const own = p.ownList(tag, key);
          if (!own) problems.push(`${tag}: ${key} must be a YAML list, as in English`);
          else if (own.some((item) => p.arguments(item, tag, key).length > 0)) problems.push(`${tag}: ${key} list items take no placeholders`);
          continue;
        }
        const own = p.ownText(tag, key);
        if (own === undefined) {
          problems.push(`${tag}: ${key} must be a text, as in English`);
          continue;
        }
        const english = [...p.arguments(p.ownText("en", key)!, "en", key)].sort();
        const mine = [...p.arguments(own, tag, key)].sort();
        if (english.join(",") !== mine.join(",")) problems.push(`${tag}: ${key} has {${mine.join("}, {")}}, English {${english.join("}, {")}}`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("uses each language's plural rules", () => {
    const ru = localeOf("ru");
    expect([1, 3, 5, 21, 22, 25].map((count) => p.t(ru, "quiz.intro", { count }).split(".")[0])).toEqual([
      "Викторина: 1 вопрос", "Викторина: 3 вопроса", "Викторина: 5 вопросов", "Викторина: 21 вопрос", "Викторина: 22 вопроса", "Викторина: 25 вопросов",
    ]);
    expect(p.t(ru, "quiz.stopped", { asked: 1, correct: 0 })).toContain("после 1 вопроса");
    expect(p.t(ru, "quiz.stopped", { asked: 3, correct: 0 })).toContain("после 3 вопросов");
    expect(p.t(ru, "quiz.leaderboard_title", { asked: 1, total: 1 })).not.toMatch(/1\/1 вопросов/);
    expect(p.t(localeOf("en"), "quiz.intro", { count: 1 })).toMatch(/^Quiz: 1 question\./);
    expect(p.t(localeOf("en"), "quiz.intro", { count: 10 })).toMatch(/^Quiz: 10 questions\./);
    expect(p.t(localeOf("en"), "slack.quiz.started", { user: "<@U1>", count: 1 })).toBe("<@U1> started a quiz with 1 question.");
  });

  it("keeps lists as YAML lists (Cyrillic Uzbek derived item by item) and leaves a missing placeholder visible", () => {
    expect(p.list(localeOf("en"), "answers.suggestions")).toContain("penalties for trafficking");
    const cyr = p.list(localeOf("uz", "cyrillic"), "answers.suggestions");
    expect(cyr).toHaveLength(p.list(localeOf("uz"), "answers.suggestions").length);
    for (const item of cyr) expect(item).toMatch(/^[^a-z]*$/);
    expect(p.t(localeOf("en"), "answers.notice_truncated")).toContain("{limit}");
  });
});
