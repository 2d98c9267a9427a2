/**
 * Translated passages (knowledge/translations/<lang>/*.jsonl) and the guidance cards' bodies:
 * every line names a real passage and the hash of its current English text (else the test
 * fails naming the file and line), and every translation is faithful: the English's numbers,
 * years, percentages and article numbers are all there and none is added, every named
 * organisation is named, and the text is not empty, not English, and in the right script.
 *
 * A translator's line that fails is listed in the failure message: fix the line, do not
 * loosen the checks.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCards } from "../src/cards/load.ts";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { checkTranslation, numbersOf, numberWordsOf } from "../src/knowledge/faithfulness.ts";
import { passageHash, readTranslationFiles, Translations } from "../src/knowledge/translations.ts";
import { localeOf } from "../src/language/languages.ts";
import { analyzeNative } from "../src/retrieval/native-index.ts";
import { projectPath } from "../src/paths.ts";
import { prompts } from "../src/prompts.ts";

const KNOWLEDGE = projectPath("knowledge");
const corpus = loadCorpus(KNOWLEDGE);
const byId = new Map(corpus.passages.map((p) => [p.id, p]));
const files = readTranslationFiles(join(KNOWLEDGE, "translations"), corpus.passages);

describe("translation files (knowledge/translations)", () => {
  it("exist for the five languages and load (ids are real passages, lines valid)", () => {
    expect([...files.keys()].sort()).toEqual(["kk", "ky", "ru", "tg", "uz"]);
    for (const [lang, lines] of files) expect(lines.size, lang).toBeGreaterThan(0);
  });

  it("carry the hash of the current English text (a stale line fails naming its file)", () => {
    const stale: string[] = [];
    for (const lines of files.values()) {
      for (const t of lines.values()) if (t.hash !== passageHash(byId.get(t.id)!.text)) stale.push(`${t.file}:${t.line} ${t.id}`);
    }
    expect(stale, `stale translations (the English changed; renew them):\n${stale.join("\n")}`).toEqual([]);
  });

  it("cover every passage in all five languages", () => {
    const t = Translations.load(KNOWLEDGE, corpus.passages);
    for (const lang of ["ru", "kk", "uz", "ky", "tg"] as const) expect(t.coverage(lang), lang).toBe(1);
  });

  it("every translated passage is faithful to its English", () => {
    const problems: string[] = [];
    for (const [lang, lines] of files) {
      for (const t of lines.values()) {
        for (const p of checkTranslation(byId.get(t.id)!.text, t.text, lang as Exclude<typeof lang, "en">)) {
          problems.push(`${t.file}:${t.line} ${t.id} [${p.code}] ${p.detail}`);
        }
      }
    }
    expect(problems, `unfaithful translations:\n${problems.join("\n")}`).toEqual([]);
  });
});

describe("guidance cards' bodies (knowledge/cards)", () => {
  it("are faithful to the English body in every language", () => {
    const problems: string[] = [];
    for (const card of loadCards(join(KNOWLEDGE, "cards"))) {
      for (const [lang, body] of Object.entries(card.body)) {
        if (lang === "en") continue;
        for (const p of checkTranslation(card.body.en, body, lang as "ru")) problems.push(`knowledge/cards/${card.id}.yaml body.${lang} [${p.code}] ${p.detail}`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });
});

describe("faithfulness checks", () => {
  const en = "The hotline received 1,341 calls in 2020; 69.4 percent came from Almaty. Article 128 sets penalties. IOM and Sana Sezim helped six victims.";
  const ru = "В 2020 году горячая линия приняла 1 341 звонок; 69,4 процента — из Алматы. Статья 128 устанавливает наказания. МОМ и «Сана Сезим» помогли шести жертвам.";

  it("accept a faithful translation with other separators and kept number words", () => {
    expect(checkTranslation(en, ru, "ru")).toEqual([]);
    expect(checkTranslation(en, ru.replace("шести", "6"), "ru")).toEqual([]); // "six" written in digits
    expect(numbersOf("1,341 = 1 341 = 1341; 69.4 = 69,4; 1,000,000")).toEqual(["1341", "1341", "1341", "69.4", "69.4", "1000000"]);
    expect(numberWordsOf("twenty one victims, six hundred calls")).toEqual(new Set(["20", "21", "1", "6", "100", "600"]));
  });

  it("catch a missing or changed figure, an added one, and a missing organisation", () => {
    const codes = (text: string) => checkTranslation(en, text, "ru").map((p) => `${p.code}: ${p.detail}`);
    expect(codes(ru.replace("1 341", "1 314"))).toEqual(["number_missing: 1341 is in the English but not in the translation", "number_added: 1314 is in the translation but not in the English"]);
    expect(codes(ru.replace("Статья 128", "Статья"))).toEqual(["number_missing: 128 is in the English but not in the translation"]);
    expect(codes(`${ru} В 2019 году — 40.`)).toEqual(["number_added: 2019 is in the translation but not in the English", "number_added: 40 is in the translation but not in the English"]);
    expect(codes(ru.replace("МОМ и ", ""))).toEqual(["organisation_missing: IOM is named in the English but not in the translation"]);
  });

  it("catch an empty, English or wrong-script translation", () => {
    expect(checkTranslation(en, "  ", "kk").map((p) => p.code)).toEqual(["empty"]);
    expect(checkTranslation(en, en, "ru").map((p) => p.code)).toContain("english");
    expect(checkTranslation(en, en, "ru").map((p) => p.code)).toContain("script");
    // Russian text filed as Kazakh: no Kazakh letter in a long text.
    expect(checkTranslation(en, ru, "kk").map((p) => p.code)).toContain("script");
    // Uzbek must be Latin; Kazakh letters in a Russian text.
    expect(checkTranslation(en, ru, "uz").map((p) => p.code)).toContain("script");
    expect(checkTranslation(en, ru.replace("жертвам", "құрбандарға"), "ru").map((p) => p.code)).toContain("script");
  });
});

describe("bad translation files fail naming the file", () => {
  const passage = corpus.passages[0]!;
  function dirWith(lang: string, lines: unknown[]): string {
    const dir = mkdtempSync(join(tmpdir(), "hotline-tr-"));
    mkdirSync(join(dir, "translations", lang), { recursive: true });
    writeFileSync(join(dir, "translations", lang, "passages.jsonl"), lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n"));
    return dir;
  }

  it("an unknown passage id", () => {
    const dir = dirWith("ky", [{ id: "tip-2014-kazakhstan:0000000000", hash: "000000000000", text: "Кыргызча текст", status: "draft" }]);
    expect(() => Translations.load(dir, corpus.passages)).toThrow(new RegExp(`${join(dir, "translations", "ky", "passages.jsonl").replace(/[/\\]/g, ".")}:1: unknown passage id`));
  });

  it("a malformed line, a bad status or a passage translated twice", () => {
    expect(() => Translations.load(dirWith("kk", ["{not json"]), corpus.passages)).toThrow(/kk.passages\.jsonl:1: not valid JSON/);
    expect(() => Translations.load(dirWith("kk", [{ id: passage.id, hash: passageHash(passage.text), text: "мәтін", status: "final" }]), corpus.passages)).toThrow(/kk.passages\.jsonl:1: status/);
    const line = { id: passage.id, hash: passageHash(passage.text), text: "мәтін", status: "draft" };
    expect(() => Translations.load(dirWith("kk", [line, line]), corpus.passages)).toThrow(/kk.passages\.jsonl:2: passage .* translated twice/);
  });

  it("a wrong hash is stale: listed with its file, and the English is quoted", () => {
    const dir = dirWith("tg", [{ id: passage.id, hash: "0123456789ab", text: "Матни тоҷикӣ", status: "reviewed" }]);
    const t = Translations.load(dir, corpus.passages);
    expect(t.stale("tg").map((s) => `${s.file}:${s.line}`)).toEqual([`${join(dir, "translations", "tg", "passages.jsonl")}:1`]);
    expect(t.forPassage(passage, localeOf("tg"))).toEqual({ lang: "tg", text: passage.text, status: "stale" });
    expect(t.forPassage(corpus.passages[1]!, localeOf("tg"))).toEqual({ lang: "tg", text: corpus.passages[1]!.text, status: "missing" });
    expect(t.forPassage(passage, localeOf("en"))).toBeUndefined();
  });

  it("Cyrillic Uzbek is derived from the Latin", () => {
    const dir = dirWith("uz", [{ id: passage.id, hash: passageHash(passage.text), text: "Qozog'iston — maqsad mamlakati.", status: "draft" }]);
    const t = Translations.load(dir, corpus.passages);
    expect(t.forPassage(passage, localeOf("uz", "cyrillic"))).toEqual({ lang: "uz-Cyrl", text: "Қозоғистон — мақсад мамлакати.", status: "draft" });
    expect(t.forPassage(passage, localeOf("uz"))?.text).toBe("Qozog'iston — maqsad mamlakati.");
  });
});

describe("the per-language index analyser", () => {
  it("folds scripts, keeps figures whole and cuts words to a prefix stem", () => {
    expect(analyzeNative("Горячая линия приняла 1 341 звонок в 2020 году")).toEqual(["gorya", "liniy", "priny", "1341", "zvono", "2020"]);
    // Uzbek in either script meets the same terms.
    expect(analyzeNative("ishonch telefoni")).toEqual(analyzeNative("ишонч телефони"));
  });
});

describe("one spelling of each NGO and term per language in the fixed texts", () => {
  /** Per language: the spelling used, and the variants that must not appear. */
  const TERMS: Record<string, Array<[string, RegExp]>> = {
    ru: [["НПО", /НКО/], ["Сана Сезим", /Сана[- ]Сезім|Сана-Сезим/]],
    kk: [["ҮЕҰ", /\bҮЕУ\b/], ["Сана Сезим", /Сана Сезім/]],
    uz: [["NNT", /ННТ/]],
    ky: [["ӨЭУ", /БӨУ/]],
    tg: [["ТҒД", /ТДҒ/], ["хати боварӣ", /[Хх]атти/]],
  };
  const fixedTexts = (lang: string): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    const dir = projectPath("prompts", lang);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) out.push([`prompts/${lang}/${file}`, readFileSync(join(dir, file), "utf8")]);
    for (const card of loadCards(join(KNOWLEDGE, "cards"))) {
      const body = (card.body as Record<string, string>)[lang];
      if (body) out.push([`knowledge/cards/${card.id}.yaml body.${lang}`, body]);
    }
    return out;
  };

  it("uses one spelling per language (prompts and card bodies)", () => {
    const problems: string[] = [];
    for (const [lang, terms] of Object.entries(TERMS)) {
      for (const [where, text] of fixedTexts(lang)) {
        for (const [preferred, variant] of terms) {
          const m = variant.exec(text);
          if (m) problems.push(`${where}: "${m[0]}" — write "${preferred}"`);
        }
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("gives the 116 16 caveat the same way on every platform", () => {
    const p = prompts();
    for (const lang of ["en", "ru", "kk", "uz", "ky", "tg"] as const) {
      const caveat = (key: string) => /116 16 \(([^)]*)\)/.exec(p.t(localeOf(lang), key))?.[1];
      expect(caveat("telegram.safety_line"), lang).toBeTruthy();
      expect(caveat("console.safety_line"), lang).toBe(caveat("telegram.safety_line"));
    }
    // Nothing claims hours the contacts directory does not state (hours: null for 116 16).
    for (const lang of ["en", "ru"] as const) expect(p.t(localeOf(lang), "slack.triage.fallback_contacts")).not.toMatch(/24\/7|круглосуточно/);
  });
});
