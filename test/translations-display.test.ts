/**
 * What a non-English reader receives: the quoted passages in their language, labelled as
 * translations of the cited English original, with the original one tap away (Telegram: a
 * button; Slack: "Show full passage"; console and CLI: below). A stale or missing translation
 * quotes the English with a note, never an empty quote. `hotline ask --json` keeps `text`.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { answerView } from "../adapters/slack/blocks/answer.ts";
import { parseLanguageOption } from "../adapters/slack/features/ask-command.ts";
import { textsFor } from "../adapters/slack/texts.ts";
import { Assistant } from "../src/assistant.ts";
import { formatAnswerText } from "../src/answers/format-text.ts";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { Translations } from "../src/knowledge/translations.ts";
import { localeOf } from "../src/language/languages.ts";
import { setLogger } from "../src/logger.ts";
import { projectPath } from "../src/paths.ts";
import { testAssistant, testConfig } from "./helpers/assistant.ts";
import { hotlineInProcess } from "./helpers/cli.ts";
import { blockText, buttons } from "./helpers/fake-slack.ts";
import { TelegramHarness, htmlProblems } from "./helpers/fake-telegram.ts";

const QUESTION_RU = "Сколько звонков приняла горячая линия в 2020 году?";
const HOTLINE_RU = "1341 звонок"; // the Russian translation of TIP 2021 Protection para 1 part 6
const HOTLINE_EN = "received 1,341 phone calls in 2020";

let assistant: Assistant;
let h: TelegramHarness | undefined;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  assistant = await testAssistant();
}, 60_000);
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("citations in the reader's language", () => {
  it("carry the translation beside the English text; English readers get none", async () => {
    const ru = await assistant.askPassages(QUESTION_RU, { locale: localeOf("ru") });
    const cited = ru.citations.find((c) => c.text.includes(HOTLINE_EN))!;
    expect(cited.translation).toMatchObject({ lang: "ru", status: "draft" });
    expect(cited.translation!.text).toContain(HOTLINE_RU);
    const en = await assistant.askPassages("How many calls did the hotline receive in 2020?", { locale: localeOf("en") });
    expect(en.citations.length).toBeGreaterThan(0);
    for (const c of en.citations) expect(c.translation).toBeUndefined();
  });

  it("Cyrillic Uzbek readers get the Latin translation transliterated, or the English with a note", async () => {
    const answer = await assistant.askPassages("2020-yilda ishonch telefoniga nechta qo'ng'iroq bo'lgan?", { locale: localeOf("uz", "cyrillic") });
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const c of answer.citations) {
      expect(c.translation!.lang).toBe("uz-Cyrl");
      expect(c.translation!.text.trim()).not.toBe("");
      if (c.translation!.status === "draft") expect(c.translation!.text).toMatch(/\p{Script=Cyrillic}/u);
      else expect(c.translation!.note).toBeTruthy();
    }
  });

  it("a stale or missing translation quotes the English with a note, never an empty quote", async () => {
    const corpus = loadCorpus(projectPath("knowledge"));
    const hotline = corpus.passages.find((p) => p.text.includes(HOTLINE_EN))!;
    const dir = mkdtempSync(join(tmpdir(), "hotline-knowledge-"));
    mkdirSync(join(dir, "translations", "ky"), { recursive: true });
    writeFileSync(join(dir, "translations", "ky", "passages.jsonl"), `${JSON.stringify({ id: hotline.id, hash: "0123456789ab", text: "Эски котормо", status: "reviewed" })}\n`);
    const translations = Translations.load(dir, corpus.passages);
    const custom = await Assistant.create(testConfig(), { corpus, models: false, translations });
    const answer = await custom.askPassages("2020-жылы ишеним телефонуна канча чалуу келген?", { locale: localeOf("ky") });
    const stale = answer.citations.find((c) => c.passageId === hotline.id)!;
    expect(stale.translation).toEqual({ lang: "ky", text: hotline.text, status: "stale", note: custom.t(localeOf("ky"), "answers.translation_stale") });
    const others = answer.citations.filter((c) => c.passageId !== hotline.id);
    for (const c of others) expect(c.translation).toMatchObject({ status: "missing", text: c.text, note: custom.t(localeOf("ky"), "answers.translation_missing") });
    const text = formatAnswerText(answer, custom.prompts);
    expect(text.replace(/\s+/g, " ")).toContain(custom.t(localeOf("ky"), "answers.translation_stale"));
    expect(text).toContain(HOTLINE_EN);
    expect(text).not.toContain("“”");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("console and CLI", () => {
  it("the console shows the translation labelled, and the English original below it", async () => {
    const answer = await assistant.askPassages(QUESTION_RU, { locale: localeOf("ru") });
    const text = formatAnswerText(answer, assistant.prompts).replace(/\s+/g, " ");
    const label = assistant.t(localeOf("ru"), "answers.translation_label");
    expect(text).toContain(label);
    expect(text).toContain(HOTLINE_RU);
    const original = text.indexOf(`${assistant.t(localeOf("ru"), "answers.original_heading")}:`);
    expect(original).toBeGreaterThan(text.indexOf(HOTLINE_RU));
    expect(text.indexOf(HOTLINE_EN)).toBeGreaterThan(original); // the English only below, as the original
  });

  it("hotline ask --json keeps each citation's English text and adds the translation", async () => {
    const run = await hotlineInProcess(["ask", "--json", "--lang", "ru", QUESTION_RU], { env: { DATA_DIR: testConfig().dataDir } });
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as { language: string; citations: Array<{ text: string; translation?: { lang: string; text: string; status: string } }> };
    expect(json.language).toBe("ru");
    const cited = json.citations.find((c) => c.text.includes(HOTLINE_EN))!;
    expect(cited.translation).toMatchObject({ lang: "ru", status: "draft" });
    expect(cited.translation!.text).toContain(HOTLINE_RU);
    const en = JSON.parse((await hotlineInProcess(["ask", "--json", "How many calls did the hotline receive in 2020?"], { env: { DATA_DIR: testConfig().dataDir } })).stdout);
    for (const c of en.citations) expect(c).not.toHaveProperty("translation");
  });
});

describe("Telegram", () => {
  type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };

  it("quotes the Russian translation, labelled, with the English original one tap away", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(201, QUESTION_RU));
    const [answer] = h.fake.sentTo(201);
    const text = String(answer!.payload.text);
    expect(text).toContain(HOTLINE_RU);
    expect(text).toContain("Перевод цитируемого английского оригинала; черновой перевод");
    expect(text).not.toContain(HOTLINE_EN);
    expect(htmlProblems(text)).toEqual([]);
    const button = (answer!.payload.reply_markup as Keyboard).inline_keyboard[0]![0]!;
    expect(button.text).toBe("📖 Английский оригинал");

    await h.deliver(h.updates.callback(201, button.callback_data, { message_id: 1000 }));
    const original = h.texts(201).slice(1).join("\n");
    expect(original).toContain("<b>Английский оригинал</b>");
    expect(original).toContain(HOTLINE_EN);
    expect(original).not.toContain(HOTLINE_RU);
  });

  it("an Uzbek writer in a Russian-language app gets Uzbek quotes and headings, also behind the button", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(203, "2020-yilda ishonch telefoniga nechta qo'ng'iroq kelgan?", { lang: "ru" }));
    const [answer] = h.fake.sentTo(203);
    const text = String(answer!.payload.text);
    expect(text).toContain(assistant.t(localeOf("uz"), "answers.from_reports"));
    expect(text).toContain(assistant.t(localeOf("uz"), "answers.translation_label"));
    const button = (answer!.payload.reply_markup as Keyboard).inline_keyboard[0]![0]!;
    expect(button.text).toBe(assistant.t(localeOf("uz"), "telegram.sources.original_button"));
    await h.deliver(h.updates.callback(203, button.callback_data, { message_id: 1000 }));
    const original = h.texts(203).slice(1).join("\n");
    expect(original).toContain(`<b>${assistant.t(localeOf("uz"), "answers.original_heading")}</b>`);
    expect(original).not.toContain("Английский");
  });

  it("a guidance card's Sources show the passages translated, then the originals", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(202, "Где найти приют для пострадавших от торговли людьми и кого туда берут?", { lang: "ru" }));
    const sent = h.fake.sentTo(202);
    const withButton = sent.find((m) => (m.payload.reply_markup as Keyboard | undefined)?.inline_keyboard?.[0]?.[0]?.callback_data?.startsWith("src:"))!;
    expect(withButton, "a card answer with a Sources button").toBeTruthy();
    const sources = (withButton.payload.reply_markup as Keyboard).inline_keyboard[0]![0]!;
    expect(sources.text).toBe("📖 Источники");
    const before = sent.length;
    await h.deliver(h.updates.callback(202, sources.callback_data, { message_id: 1000 }));
    const expansion = h.fake.sentTo(202).slice(before);
    const expanded = expansion.map((m) => String(m.payload.text)).join("\n");
    expect(expanded).toContain("Перевод цитируемого английского оригинала");
    expect(expanded).toMatch(/<blockquote expandable>[^<]*[А-Яа-яЁё]/);
    const last = expansion[expansion.length - 1]!;
    const original = (last.payload.reply_markup as Keyboard).inline_keyboard[0]![0]!;
    expect(original.text).toBe("📖 Английский оригинал");
    expect(original.callback_data).toMatch(/^srco:/);
  });
});

describe("Slack", () => {
  it("/hotline-ask --lang ru answers in Russian; citations quote the translation, labelled", async () => {
    expect(parseLanguageOption("--lang ru How many calls?")).toEqual({ text: "How many calls?", locale: localeOf("ru") });
    expect(parseLanguageOption("--lang=uz-Cyrl savol")).toEqual({ text: "savol", locale: localeOf("uz", "cyrillic") });
    expect(parseLanguageOption("lang:xx question")).toEqual({ text: "question", unknown: "xx" });
    expect(parseLanguageOption("How many calls?")).toEqual({ text: "How many calls?" });

    const answer = await assistant.askPassages("How many calls did the hotline receive in 2020?", { locale: localeOf("ru"), audience: "staff" });
    const view = answerView(answer, textsFor(assistant, localeOf("ru")));
    const text = blockText(view.blocks);
    expect(text).toContain(HOTLINE_RU);
    expect(text).toContain("Перевод цитируемого английского оригинала");
    expect(text).not.toContain(assistant.t(localeOf("ru"), "answers.quoted_in_english"));
    // "Show full passage" carries the passage id: it shows the English original.
    expect(buttons(view.blocks).map((b) => b.value)).toContain(answer.citations[0]!.passageId);
  });
});
