/**
 * Issue 11's own examples, tried as a new user would through the real bot (fake Bot API): the
 * cries that got NGO statistics, the follow-ups after a disclosure that got report quotes, the
 * greetings that got "the reports do not say this", the first reply that was two long messages
 * with numbers repeated and contacts without a way to reach them.
 */
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { testAssistant } from "./helpers/assistant.ts";
import { TelegramHarness, htmlProblems } from "./helpers/fake-telegram.ts";

const STAFF = "-100779";
let assistant: Assistant;
let h: TelegramHarness;
const plain = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const QUOTE = /\[1\]|reports do not say|отчёты об этом не говорят|TIP 20|Cable/;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  assistant = await testAssistant();
}, 60_000);
afterEach(async () => h?.stop());

describe("issue 11's examples through the real bot", () => {
  it("short cries as a first message get the safety reply (112 first), never statistics", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    const cries: Array<[string, string]> = [["помогите", "ru"], ["кӯмак кунед", "tg"], ["help", "en"], ["мне страшно", "ru"]];
    for (const [i, [text, lang]] of cries.entries()) {
      await h.deliver(h.updates.text(1100 + i, text, { lang }));
      const sent = h.texts(1100 + i);
      expect(sent.length, text).toBeGreaterThanOrEqual(1);
      expect(sent[0], text).toContain("<code>112</code>");
      for (const s of sent) expect(plain(s), text).not.toMatch(QUOTE);
    }
  });

  it("after 'they locked us in the basement', the follow-ups get safety replies: 111 first for texting, where they are, how many", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.text(1110, "they locked us in the basement"));
    const follow: Array<[string, RegExp]> = [
      ["we are 6 people, no food", /116 16|112/],
      ["я не могу звонить, только писать", /^[^\d]*111/],
      ["я в Шымкенте", /116 16|112/],
    ];
    for (const [text, expected] of follow) {
      h.fake.reset();
      await h.deliver(h.updates.text(1110, text));
      const sent = h.texts(1110).map(plain);
      expect(sent[0], text).toMatch(expected);
      for (const s of sent) expect(s, text).not.toMatch(QUOTE);
    }
  });

  it("the first reply is one message: numbers once each, tappable, and every contact behind 'More contacts' has a number or a link", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.text(1120, "My employer took my passport and does not pay me"));
    const sent = h.texts(1120);
    const first = sent[0]!;
    expect(sent.filter((s) => !/\?<\/b>$/.test(s.trim()))).toHaveLength(1); // one safety message (a check-in question may follow)
    expect(plain(first).length).toBeLessThanOrEqual(600);
    expect(plain(first).match(/116 16/g)!.length).toBeLessThanOrEqual(2); // the number and, at most, the next step naming it
    const lines = plain(first).split("\n").filter((l) => l.startsWith("•"));
    expect(new Set(lines).size).toBe(lines.length);
    expect(first).toContain("<code>116 16</code>");
    await h.deliver(h.updates.callback(1120, "cv:more"));
    const more = h.texts(1120).at(-1)!;
    expect(htmlProblems(more)).toEqual([]);
    const contacts = more.split("\n").filter((l) => plain(l).startsWith("•"));
    expect(contacts.length).toBeGreaterThan(1);
    for (const c of contacts) expect(c, plain(c)).toMatch(/<code>[\d ]+<\/code>|\+?\d[\d -]{5,}|https?:\/\//);
  });

  it("greetings and thanks get a short friendly reply with what the bot can do; the weather gets 'I only know about…'", async () => {
    h = await TelegramHarness.start({ core: assistant });
    const cases: Array<[string, RegExp]> = [
      ["привет", /подскажу, куда обратиться/],
      ["здравствуйте", /подскажу, куда обратиться/],
      ["спасибо", /116 16/],
      ["какая погода в Астане?", /только с вопросами о работе, миграции/],
    ];
    for (const [i, [text, expected]] of cases.entries()) {
      await h.deliver(h.updates.text(1130 + i, text, { lang: "ru" }));
      const sent = h.texts(1130 + i).map(plain);
      expect(sent, text).toHaveLength(1);
      expect(sent[0], text).toMatch(expected);
      expect(sent[0], text).not.toMatch(QUOTE);
      expect(sent[0]!.length, text).toBeLessThanOrEqual(400);
    }
  });
});
