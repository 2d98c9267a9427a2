import { describe, expect, it } from "vitest";
import { sharedEvalFile } from "./helpers/paths.ts";
import { createTriage } from "../src/triage/engine.ts";
import { evaluateTriageFile, formatTriageReport, TRIAGE_TARGETS } from "../src/triage/evaluate.ts";
import { levelRank } from "../src/triage/types.ts";

const triage = createTriage();
const level = (text: string) => triage.assess(text).level;

describe("targets", () => {
  for (const file of ["../shared/eval/triage-dev.jsonl", "test/eval/triage-cases.jsonl"]) {
    it(`meets the targets on ${file}`, () => {
      const path = file.startsWith("..") ? sharedEvalFile("triage-dev.jsonl") : new URL(`../${file}`, import.meta.url).pathname;
      const report = evaluateTriageFile(path);
      const text = formatTriageReport(report);
      expect(report.disclosureRecall.rate, text).toBe(TRIAGE_TARGETS.disclosureRecall);
      expect(report.emergencyRecall.rate, text).toBeGreaterThanOrEqual(TRIAGE_TARGETS.emergencyRecall);
      expect(report.atRiskCaught.rate, text).toBeGreaterThanOrEqual(TRIAGE_TARGETS.atRiskCaught);
      expect(report.falseAlarms.rate, text).toBeLessThanOrEqual(TRIAGE_TARGETS.falseAlarmRate);
      expect(report.meetsTargets).toBe(true);
    });
  }

  it("own set has at least 150 cases in all six languages, with Uzbek Cyrillic and Latin-script Russian", async () => {
    const { readTriageCases } = await import("../src/triage/evaluate.ts");
    const cases = readTriageCases(new URL("./eval/triage-cases.jsonl", import.meta.url).pathname);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.lang))).toEqual(new Set(["en", "ru", "kk", "uz", "ky", "tg"]));
    expect(cases.some((c) => c.lang === "uz" && /[а-яўқғҳ]/i.test(c.message))).toBe(true);
    expect(cases.some((c) => c.lang === "ru" && /^[\x00-\x7f]+$/.test(c.message))).toBe(true);
    expect(cases.filter((c) => c.level === "none").length).toBeGreaterThanOrEqual(50);
  });
});

describe("what people really type", () => {
  it("transliterated Russian, typos and Uzbek in both scripts", () => {
    expect(level("rabotodatel zabral pasport")).toBe("trafficking");
    expect(level("my boss took my pasprot")).toBe("trafficking");
    expect(level("Xo'jayin pasportimni olib qo'ydi")).toBe("trafficking");
    expect(level("Хўжайин паспортимни олиб қўйди")).toBe("trafficking");
    expect(level("xojayin pasportimni olib qoydi")).toBe("trafficking");
    expect(level("ПОМОГИТЕ МЕНЯ ЗАПЕРЛИ")).toBe("emergency");
  });

  it("first or third person", () => {
    expect(level("my brother's boss keeps his passport")).toBe("trafficking");
    expect(level("the boss took my passport")).toBe("trafficking");
  });

  it("questions about the topic are none", () => {
    for (const q of ["what is debt bondage?", "how many victims were identified?", "What did the embassy say about document retention by labor traffickers?", "Сколько жертв было выявлено в 2020 году?"]) {
      expect(triage.assess(q), q).toMatchObject({ level: "none", reply: null, contacts: [] });
    }
  });

  it("negated statements raise no disclosure", () => {
    expect(level("they did not take my passport")).toBe("none");
    expect(level("Паспорт у меня не забирали")).toBe("none");
    expect(level("Pasportimni hech kim olgani yo'q")).toBe("none");
    expect(level("Паспортымды алған жоқ")).toBe("none");
    // ...but a negation that is itself the disclosure still counts
    expect(level("they don't pay us")).toBe("trafficking");
    expect(level("Работодатель не отдаёт паспорт")).toBe("trafficking");
  });

  it("sarcasm and idioms are not emergencies", () => {
    expect(level("lol this job is killing me")).toBe("none");
    expect(level("I'm a slave to my phone haha")).toBe("none");
    expect(level("I beat my brother at chess")).toBe("none");
  });

  it("text quoting the report is not a disclosure", () => {
    expect(level("Labor traffickers commonly held victims' identity documents and strictly controlled their movements, provided substandard communal housing and meals, and isolated the victims to prevent discovery.")).toBe("none");
    expect(level('The report says "the exploiters took the victims\' identity and travel documents". Is that still true?')).toBe("none");
  });

  it("a conditional question gets safe-migration advice, not a disclosure", () => {
    expect(level("What should I do if my employer takes my passport?")).toBe("at_risk");
    // threats are often conditional: never lowered
    expect(level("If I leave, they will kill me")).toBe("emergency");
  });

  it("two different indicators at the at_risk level together are trafficking", () => {
    expect(level("We work 16 hours a day")).toBe("at_risk");
    expect(level("We work 16 hours a day, they don't feed us and we sleep on the floor")).toBe("trafficking");
  });
});

describe("bad input never crashes and never goes silent on danger", () => {
  it("empty, whitespace, emoji-only", () => {
    for (const text of ["", "   ", "\n\n", "🙏🙏🙏", "😭", "👍🏻"]) {
      const r = triage.assess(text);
      expect(r.level).toBe("none");
      expect(r.reply).toBeNull();
    }
  });

  it("50 KB of text, with a disclosure at the start", () => {
    const big = `My boss took my passport. ${"blah ".repeat(10_000)}`;
    expect(big.length).toBeGreaterThan(50_000);
    expect(level(big)).toBe("trafficking");
    expect(level("a".repeat(50_000))).toBe("none");
  });

  it("mixed scripts and languages in one message", () => {
    expect(level("Salom, хозяин pasportimni olib qo'ydi, help")).toBe("trafficking");
    expect(level("help pomogite, меня заперли in the room")).toBe("emergency");
  });

  it("non-string input and odd characters", () => {
    expect(triage.assess(undefined as unknown as string).level).toBe("none");
    expect(triage.assess("\u0000\u200b\ufeff").level).toBe("none");
  });

  it("an internal failure returns the fail-safe hotline reply instead of throwing", () => {
    const broken = createTriage();
    // Sabotage the compiled rules to force an exception inside assess().
    (broken.rules as unknown as { rules: unknown }).rules = null;
    const r = broken.assess("my boss took my passport");
    expect(r.failSafe).toBe(true);
    expect(r.reply).toContain("116 16");
    expect(r.contacts.length).toBeGreaterThan(0);
    expect(levelRank(r.level)).toBeGreaterThan(levelRank("none"));
  });
});

describe("replies", () => {
  it("emergency: 112 and 102 before the hotline, in the person's language", () => {
    const r = triage.assess("помогите, меня заперли");
    expect(r.locale.lang).toBe("ru");
    const reply = r.reply!;
    expect(reply).toContain("112");
    expect(reply.indexOf("112")).toBeLessThan(reply.indexOf("116 16"));
    expect(reply.indexOf("102")).toBeLessThan(reply.indexOf("116 16"));
    expect(reply).toMatch(/Вы не одни/);
    expect(reply).toContain("/forget");
    expect(r.contacts.map((c) => c.phone).slice(0, 2)).toEqual(["112", "102"]);
  });

  it("trafficking: hotline first, NGOs without numbers shown by name only", () => {
    const r = triage.assess("my boss took my passport");
    expect(r.contacts[0]!.phone).toBe("116 16");
    expect(r.reply).toContain("116 16");
    expect(r.reply).toMatch(/Rodnik, Almaty/);
    expect(r.reply).not.toMatch(/undefined|null|TBD|\{phone\}/);
    expect(r.reply).not.toMatch(/your name and address|where are you|what is your name/i);
    expect(r.reply).toMatch(/confidential/i);
  });

  it("follows the person's language and script", () => {
    expect(triage.assess("Қожайын паспортымды алып қойды").reply).toMatch(/рахмет/i);
    expect(triage.assess("Xo'jayin pasportimni olib qo'ydi").reply).toMatch(/rahmat/i);
    const cyr = triage.assess("Хўжайин паспортимни олиб қўйди").reply!;
    expect(cyr).toMatch(/раҳмат|рахмат/i);
    expect(cyr).toContain("/forget");
    expect(triage.assess("Корфармо шиносномаамро гирифт").reply).toMatch(/Ташаккур/);
    expect(triage.assess("Кожоюн паспортумду алып койду").reply).toMatch(/рахмат/i);
    expect(triage.assess("my boss took my passport", { lang: "tg", script: "cyrillic" }).reply).toMatch(/Ташаккур/);
  });

  it("replies are short enough for a phone screen", () => {
    for (const text of ["помогите, меня заперли", "my boss took my passport", "I want to work in Korea next year"]) {
      const reply = triage.assess(text).reply!;
      expect(reply.length).toBeLessThan(1100);
      expect(reply.split("\n").length).toBeLessThanOrEqual(14);
    }
  });
});

describe("what the rules read and set aside", () => {
  it("marks a document given back or only copied as cleared, in several languages, and raises nothing", () => {
    for (const text of [
      "the foreman took our passports for the patent office and gave them back the same day",
      "кожоюн паспорттун көчүрмөсүн алды, өзүн кайра берди",
      "бригадир забрал паспорта для миграционной и сразу вернул",
    ]) {
      const r = triage.assess(text);
      expect(r.level, text).toBe("none");
      expect(r.cleared, text).toContain("retention_of_documents");
    }
    const kept = triage.assess("the foreman took our passports and did not give them back");
    expect(kept.level).toBe("trafficking");
    expect(kept.cleared).toBeUndefined();
  });

  it("marks a message that laughs or retells what was read", () => {
    expect(triage.assess("бригадир нас рабами зовёт 😂").framing).toEqual(["joke"]);
    expect(triage.assess("Kecha gazetada o'qidim, fermada ishchilarni ushlab turishgan ekan").framing).toEqual(["media"]);
    expect(triage.assess("the boss took my passport").framing).toBeUndefined();
  });
});
