/**
 * Telegram adapter, questions and answers: the real bot (grammY + runner) against a fake Bot API
 * server. Cited answers, the Sources button, commands, escaping, long replies, non-text messages.
 */
import { rmSync } from "node:fs";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDataDir } from "./helpers/assistant.ts";
import type { BotCore } from "../adapters/telegram/context.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { TelegramHarness, htmlProblems } from "./helpers/fake-telegram.ts";

let dataDir: string;
let assistant: Assistant;
let h: TelegramHarness;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  dataDir = testDataDir();
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(async () => h?.stop());

/** The assistant with some methods replaced (to inject passages with markup, failures...). */
function wrap(overrides: Partial<BotCore>): BotCore {
  return new Proxy(assistant, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof BotCore];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as BotCore;
}

function expectValidHtml(texts: string[]): void {
  for (const t of texts) {
    expect(htmlProblems(t), t.slice(0, 200)).toEqual([]);
    expect(t.length).toBeLessThanOrEqual(4096);
  }
}

describe("Telegram Q&A", () => {
  it("answers a question with numbered citations and a Sources button that expands the quotes", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(101, "How many victims were identified in 2020?"));

    const sent = h.fake.sentTo(101);
    expect(sent).toHaveLength(1);
    const answer = sent[0]!.payload;
    expect(answer.parse_mode).toBe("HTML");
    expect(String(answer.text)).toMatch(/\[1\]/);
    expect(String(answer.text)).toContain("<b>Sources</b>: [1] TIP");
    const button = (answer.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard[0]![0]!;
    expect(button.text).toContain("Sources");
    expect(button.callback_data.length).toBeLessThanOrEqual(64);
    expect(h.fake.callsOf("sendChatAction")).toHaveLength(0); // a quick answer needs no "typing…"

    await h.deliver(h.updates.callback(101, button.callback_data, { message_id: 1000 }));
    const expansion = h.texts(101).slice(1).join("\n");
    expect(expansion).toContain("<blockquote expandable>");
    expect(expansion).toMatch(/\[1\] TIP \d{4}/);
    expect(h.fake.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(h.fake.callsOf("editMessageReplyMarkup")).toHaveLength(0); // buttons never remove each other
    expectValidHtml(h.texts(101));
  });

  it("shows \"typing…\" while a slow answer is computed, before the answer", async () => {
    const slow = wrap({ ask: async (...args: Parameters<Assistant["ask"]>) => {
      await new Promise((r) => setTimeout(r, 400));
      return assistant.ask(...args);
    } });
    h = await TelegramHarness.start({ core: slow });
    await h.deliver(h.updates.text(103, "Where can a victim get help?"));
    const [typing] = h.fake.callsOf("sendChatAction");
    expect(typing?.payload).toMatchObject({ chat_id: 103, action: "typing" });
    expect(typing!.seq).toBeLessThan(h.fake.sentTo(103).at(-1)!.seq); // before the answer (a check-in may come first)
  });

  it("answers in the language of the question and shows guidance cards", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(102, "Сколько жертв торговли людьми выявили в 2020 году?"));
    const text = h.texts(102).join("\n");
    expect(text).toContain("Источники");
    expect(text).toContain("Перевод цитируемого английского оригинала"); // the quotes are the Russian translations, labelled
    expectValidHtml(h.texts(102));
  });

  it("/start welcomes in the app's language with a safety line and a language picker that is remembered", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(103, "/start", { lang: "ru" }));
    const welcome = h.fake.sentTo(103)[0]!.payload;
    expect(String(welcome.text)).toContain("Здравствуйте");
    expect(String(welcome.text)).toContain("112");
    const keyboard = (welcome.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat();
    expect(keyboard.map((b) => b.callback_data)).toEqual(expect.arrayContaining(["lang:en", "lang:kk", "lang:uz", "lang:uz-Cyrl", "lang:ky", "lang:tg", "lang:ru"]));

    await h.deliver(h.updates.callback(103, "lang:kk"));
    expect(h.texts(103).at(-1)).toContain("Қазақша");
    await h.deliver(h.updates.text(103, "/help", { lang: "ru" }));
    expect(h.texts(103).at(-1)).toContain("/hotline — көмек телефондары");
  });

  it("/help, /hotline, /sources and unknown commands answer in the person's language", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.text(104, "/help"), h.updates.text(104, "/hotline"), h.updates.text(104, "/sources"), h.updates.text(104, "/nonsense"));
    const [help, hotline, sources, unknown] = h.texts(104);
    expect(help).toContain("/forget");
    expect(hotline).toContain("116 16");
    expect(hotline).toContain("112");
    expect(sources).toContain("Trafficking in Persons Report 2021");
    expect(sources).toMatch(/20\d\d-\d\d/);
    expect(unknown).toContain("/help");
    expectValidHtml(h.texts(104));
  });

  it("escapes <b>, & and </a> in passages and keeps the markup valid", async () => {
    const real = assistant.corpus.passages[0]!;
    const evil = { ...real, text: "Wages <b>withheld</b> & passports kept</a> by <script>employers</script> — \"quoted\"" };
    const core = wrap({
      ask: async (question, options) => {
        const base = await assistant.ask("How many victims were identified in 2020?", options);
        const citation = { ...assistant.citation(evil, 1), locator: "TIP <i>2021</i> & co" };
        return { ...base, question, kind: "passages", found: true, answer: `${evil.text} [1]`, lead: [{ text: evil.text, citation: 1 }], citations: [citation] };
      },
      passage: (id) => (id === real.id ? evil : assistant.passage(id)),
    });
    h = await TelegramHarness.start({ core });
    await h.deliver(h.updates.text(105, "Tell me about <b>wages</b> & </a> passports"));
    const answer = h.fake.sentTo(105).at(-1)!.payload; // the answer (a check-in question, if any, comes first)
    expect(String(answer.text)).toContain("Wages &lt;b&gt;withheld&lt;/b&gt; &amp; passports kept&lt;/a&gt;");
    expect(String(answer.text)).toContain("TIP &lt;i&gt;2021&lt;/i&gt; &amp; co");
    const data = (answer.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]![0]!.callback_data;
    await h.deliver(h.updates.callback(105, data, { message_id: 1000 }));
    expect(h.texts(105).join("\n")).toContain("&lt;script&gt;employers&lt;/script&gt;");
    expectValidHtml(h.texts(105));
  });

  it("splits a reply longer than 4096 characters cleanly", async () => {
    const sentence = "Victims of forced labour & trafficking were identified <b>in</b> several regions of Kazakhstan. ";
    const long = sentence.repeat(120); // ~11,000 characters
    const real = assistant.corpus.passages.slice(0, 3);
    const core = wrap({
      ask: async (question, options) => {
        const base = await assistant.ask("How many victims were identified in 2020?", options);
        return { ...base, question, kind: "passages", found: true, answer: `${long}[1]`, lead: [{ text: long, citation: 1 }], citations: real.map((p, i) => assistant.citation(p, i + 1)) };
      },
      passage: (id) => {
        const p = assistant.passage(id);
        return p ? { ...p, text: long } : p;
      },
    });
    h = await TelegramHarness.start({ core });
    await h.deliver(h.updates.text(106, "victims"));
    const parts = h.fake.sentTo(106);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expectValidHtml(h.texts(106));
    // The whole answer arrives, in order, with nothing cut in the middle of a word.
    const plain = h.texts(106).map((t) => t.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")).join(" ");
    expect(plain.split("Victims of forced labour").length - 1).toBe(120);
    for (const t of h.texts(106)) expect(t).not.toMatch(/ \w+-$/);
    // Only the last part carries the Sources button.
    expect(parts.at(-1)!.payload.reply_markup).toBeDefined();
    expect(parts.slice(0, -1).every((p) => p.payload.reply_markup === undefined)).toBe(true);

    const data = (parts.at(-1)!.payload.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]![0]!.callback_data;
    h.fake.reset();
    await h.deliver(h.updates.callback(106, data, { message_id: 1000 }));
    const expansion = h.texts(106);
    expect(expansion.length).toBeGreaterThanOrEqual(3 * 3);
    expectValidHtml(expansion);
  });

  it("sends a kind reply to voice, photo, sticker, location, document, contact and edited messages", async () => {
    h = await TelegramHarness.start({ core: assistant });
    const u = h.updates;
    await h.deliver(
      u.message(107, { voice: { file_id: "v", file_unique_id: "v", duration: 3 } }),
      u.message(107, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }),
      u.message(107, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }),
      u.message(107, { location: { latitude: 43.2, longitude: 76.9 } }),
      u.message(107, { document: { file_id: "d", file_unique_id: "d" } }),
      u.message(107, { contact: { phone_number: "+77000000000", first_name: "A" } }),
      u.edited(107, "How many victims in 2020?"),
      u.message(107, { dice: { emoji: "🎲", value: 3 } }),
    );
    const texts = h.texts(107);
    expect(texts).toHaveLength(8);
    expect(texts[0]).toContain("voice");
    expect(texts[1]).toContain("photos");
    expect(texts[3]).toContain("not saved");
    expect(texts[4]).toContain("files");
    expect(texts[5]).toContain("phone numbers");
    expect(texts[6]).toContain("changed your message");
    for (const t of texts) expect(t).toContain("116 16");
  });

  it("answers a voice message in the person's chosen language", async () => {
    h = await TelegramHarness.start({ core: assistant });
    await h.deliver(h.updates.callback(108, "lang:tg"), h.updates.message(108, { voice: { file_id: "v", file_unique_id: "v", duration: 3 } }));
    expect(h.texts(108).at(-1)).toContain("овозӣ");
  });
});
