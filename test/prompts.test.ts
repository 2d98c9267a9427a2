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
});
