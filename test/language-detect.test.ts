import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharedEvalFile } from "./helpers/paths.ts";
import { detectLanguage } from "../src/language/detect.ts";
import { localeOf } from "../src/language/languages.ts";
import { cyrillicToLatin, matchKey, uzbekLatinToCyrillic } from "../src/language/transliterate.ts";

describe("detectLanguage", () => {
  it.each([
    ["Please help, my boss locked me in the basement", "en", "latin"],
    ["Хозяин бьёт меня, я боюсь за свою жизнь", "ru", "cyrillic"],
    ["rabotodatel zabral pasport", "ru", "cyrillic"],
    ["sestru 15 let uvezli v saunu i ne otpuskayut", "ru", "cyrillic"],
    ["Қожайын паспортымды алып қойды", "kk", "cyrillic"],
    ["Адам саудасы деген не?", "kk", "cyrillic"],
    ["Yordam bering, meni xonaga qamab qo'yishdi", "uz", "latin"],
    ["Россияга ишга кетмоқчиман, нималарга эътибор беришим керак?", "uz", "cyrillic"],
    ["Хўжайин паспортимни олиб қўйди", "uz", "cyrillic"],
    ["Кожоюн паспортумду алып койду, бербей жатат", "ky", "cyrillic"],
    ["Саламатсызбы", "ky", "cyrillic"],
    ["Корфармо шиносномаамро гирифт", "tg", "cyrillic"],
    ["Ёрӣ диҳед, маро дар хона қулф карданд", "tg", "cyrillic"],
    ["Ташаккур", "tg", "cyrillic"],
  ] as const)("%s -> %s", (text, lang, script) => {
    const d = detectLanguage(text);
    expect(d.locale).toEqual({ lang, script });
    expect(d.supported).toBe(true);
  });

  it("keeps the fallback when there is no signal", () => {
    expect(detectLanguage("🙏🙏", localeOf("kk")).locale.lang).toBe("kk");
    expect(detectLanguage("/start", localeOf("ru")).confidence).toBeLessThan(1);
    expect(detectLanguage("").locale.lang).toBe("en");
  });

  it("recognises every labelled message of the evaluation sets", () => {
    const files = [new URL("./eval/triage-cases.jsonl", import.meta.url), sharedEvalFile("triage-dev.jsonl")];
    const wrong: string[] = [];
    for (const f of files) {
      for (const line of readFileSync(f, "utf8").split("\n").filter(Boolean)) {
        const c = JSON.parse(line) as { message: string; lang: string };
        if (!/\p{L}{3}/u.test(c.message) || c.message.startsWith("/")) continue;
        const d = detectLanguage(c.message);
        if (d.locale.lang !== c.lang) wrong.push(`${c.lang}->${d.locale.lang}: ${c.message}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("transliteration", () => {
  it("folds Cyrillic and Latin typing to one key", () => {
    expect(matchKey("Работодатель забрал паспорт")).toBe("rabotodatel zabral pasport");
    expect(cyrillicToLatin("Қожайын")).toBe("qozhayyn");
    expect(matchKey("qo'yishdi")).toBe(matchKey("qoʻyishdi"));
  });

  it("Uzbek Latin to Cyrillic keeps placeholders and bot commands", () => {
    expect(uzbekLatinToCyrillic("O'chirish uchun /forget yuboring, {phone} raqamiga")).toBe("Ўчириш учун /forget юборинг, {phone} рақамига");
  });
});
