/**
 * Telegram, the conversation after a disclosure (issue 11): the first reply is one short
 * message; follow-ups in the crisis state get short safety replies and one question at a time,
 * never a report quote; the check-in and the guided check run on Yes / No buttons; the
 * transcript fixtures (one per language) hold the first reply to ≤ 600 characters.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { testAssistant } from "./helpers/assistant.ts";
import { TelegramHarness, htmlProblems } from "./helpers/fake-telegram.ts";
import { projectPath } from "../src/paths.ts";

const STAFF = "-100777";
let assistant: Assistant;
let h: TelegramHarness;
type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
const plain = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const buttonsOf = (payload: Record<string, unknown>) => ((payload.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  assistant = await testAssistant();
}, 60_000);
afterEach(async () => h?.stop());

describe("Telegram conversation after a disclosure", () => {
  it("answers five follow-ups in the crisis state with safety replies, never a report quote", async () => {
    const store = new MemoryStore();
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF, store });
    const u = h.updates;
    await h.deliver(u.text(301, "they locked us in the basement"));
    const first = h.fake.sentTo(301)[0]!.payload;
    expect(plain(String(first.text)).length).toBeLessThanOrEqual(600);
    expect(String(first.text)).toContain("<code>112</code>");
    const followUps: Array<[string, RegExp]> = [
      ["we are 6 people, no food", /116 16/],
      ["help", /112/],
      ["I can only text", /^You can write instead of calling: 111/],
      ["is it safe to call?", /111/],
      ["I am in Shymkent", /exact address/],
    ];
    for (const [text, expected] of followUps) {
      h.fake.reset();
      await h.deliver(u.text(301, text));
      const sent = h.texts(301);
      expect(sent.length, text).toBeGreaterThanOrEqual(1);
      expect(plain(sent[0]!), text).toMatch(expected);
      for (const s of sent) {
        expect(s, text).not.toMatch(/\[1\]|Sources|reports do not say/);
        expect(htmlProblems(s)).toEqual([]);
      }
    }
    // The crisis state keeps no text: level, indicators, language and time only.
    const session = JSON.stringify(await store.get("tg:u:301:session"));
    expect(session).toContain('"level":"emergency"');
    expect(session).not.toMatch(/basement|Shymkent|people/);
  });

  it("gives a second emergency in an open emergency crisis the emergency reply again, without a second offer", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF, store: new MemoryStore() });
    const u = h.updates;
    await h.deliver(u.text(305, "they locked us in the basement"));
    const offers = (payload: Record<string, unknown>) => buttonsOf(payload).filter((b) => b.callback_data?.startsWith("ho:")).length;
    expect(offers(h.fake.sentTo(305)[0]!.payload)).toBeGreaterThan(0);
    h.fake.reset();
    await h.deliver(u.text(305, "i dont want to live anymore"));
    const again = h.fake.sentTo(305)[0]!.payload;
    expect(String(again.text)).toContain("<code>112</code>");
    expect(String(again.text)).toContain("111");
    expect(offers(again)).toBe(0);
  });

  it("asks one question at a time, answered with Yes / No buttons", async () => {
    h = await TelegramHarness.start({ core: assistant });
    const u = h.updates;
    await h.deliver(u.text(302, "помогите"));
    await h.deliver(u.text(302, "мне страшно"));
    const follow = h.fake.sentTo(302).at(-1)!.payload;
    expect(String(follow.text)).toContain("Вы сейчас в безопасности?");
    expect(buttonsOf(follow).map((b) => b.callback_data)).toEqual(["cq:safe_now:y", "cq:safe_now:n"]);
    await h.deliver(u.callback(302, "cq:safe_now:n"));
    expect(plain(h.texts(302).at(-1)!)).toMatch(/^Звоните 112/);
    // Asked once: the next follow-up asks nothing more.
    await h.deliver(u.text(302, "я не могу звонить, только писать"));
    expect(h.texts(302).at(-1)).toContain("<code>111</code>");
    expect(buttonsOf(h.fake.sentTo(302).at(-1)!.payload)).toHaveLength(0);
    // Greetings, thanks and off-topic questions get short replies in the crisis state too.
    await h.deliver(u.text(302, "спасибо"), u.text(302, "какая погода в Астане?"));
    const [thanks, offTopic] = h.texts(302).slice(-2);
    expect(thanks).toContain("Пожалуйста");
    expect(offTopic).toContain("Я знаю только о");
  });

  it("shows the guidance card and more contacts on buttons, keeping the first reply's buttons", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.text(303, "My employer took my passport and does not pay me"));
    await h.deliver(h.updates.callback(303, "cv:card"), h.updates.callback(303, "cv:more"));
    const [card, more] = h.texts(303).slice(-2);
    expect(card).toMatch(/passport|wages|paid/i);
    expect(more).toContain("Where to get help");
    expect(more).toContain("<code>102</code>");
    expect(h.fake.callsOf("editMessageReplyMarkup")).toHaveLength(0);
  });

  it("runs the guided check one question at a time; /stop ends it; yes answers give the fixed route", async () => {
    const store = new MemoryStore();
    h = await TelegramHarness.start({ core: assistant, store });
    const u = h.updates;
    await h.deliver(u.text(304, "/check"));
    const total = assistant.guidedCheckQuestions().length;
    let q = h.fake.sentTo(304).at(-1)!.payload;
    expect(String(q.text)).toContain(`1 of ${total}`);
    expect(buttonsOf(q).map((b) => b.callback_data)).toEqual(["ck:y", "ck:n"]);
    await h.deliver(u.callback(304, "ck:n"));
    q = h.fake.sentTo(304).at(-1)!.payload;
    expect(String(q.text)).toContain(`2 of ${total}`);
    expect(JSON.stringify(await store.get("tg:u:304:session"))).toContain('"check":{"step":1,"yes":[]}');
    await h.deliver(u.text(304, "/stop"));
    expect(h.texts(304).at(-1)).toContain("The check is stopped");

    await h.deliver(u.text(305, "/check"));
    for (let i = 0; i < total; i++) await h.deliver(u.callback(305, i === 3 ? "ck:y" : "ck:n"));
    const result = h.texts(305).at(-1)!;
    expect(result).toContain("<code>116 16</code>");
    expect(JSON.stringify(await store.get("tg:u:305:session"))).not.toContain('"check"');
  });

  it("offers the model's check-in with Yes / No; Yes takes the fixed route, No gets a kind word", async () => {
    h = await TelegramHarness.start({ core: assistant });
    const u = h.updates;
    const text = "we are 6 people, no food";
    const check = assistant.understand(text).triage.check;
    expect(check).toBeDefined();
    await h.deliver(u.text(306, text));
    const offer = h.fake.sentTo(306).find((m) => buttonsOf(m.payload).some((b) => String(b.callback_data).startsWith("ci:")))!.payload;
    expect(buttonsOf(offer).map((b) => b.callback_data)).toEqual([`ci:${check!.question}:y`, `ci:${check!.question}:n`]);
    await h.deliver(u.callback(306, `ci:${check!.question}:n`));
    expect(h.texts(306).at(-1)).toContain("All right");
    await h.deliver(u.callback(306, `ci:${check!.question}:y`));
    expect(h.texts(306).at(-1)).toMatch(/<code>(112|116 16)<\/code>/);
  });
});

describe("no check-in for a joke or a retold news item", () => {
  it("asks about 'we are his slaves' said in earnest, not when it is laughed off or read in the news", async () => {
    h = await TelegramHarness.start({ core: assistant });
    const u = h.updates;
    const offered = (chat: number) => h.fake.sentTo(chat).some((m) => buttonsOf(m.payload).some((b) => String(b.callback_data).startsWith("ci:")));
    await h.deliver(u.text(311, "наш бригадир говорит что мы его рабы, зато выходные есть"));
    expect(offered(311)).toBe(true);
    await h.deliver(u.text(312, "наш бригадир говорит что мы его рабы 😂 зато выходные есть"));
    expect(offered(312)).toBe(false);
    await h.deliver(u.text(313, "Police freed 20 workers from a brick factory, they had no passports"));
    expect(offered(313)).toBe(true);
    await h.deliver(u.text(314, "I read that police freed 20 workers from a brick factory, they had no passports"));
    expect(offered(314)).toBe(false);
  });
});

describe("transcript fixtures (one per language)", () => {
  const dir = projectPath("test", "fixtures", "transcripts");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    it(`replays ${file}: the first reply is one message of at most 600 characters`, async () => {
      const t = JSON.parse(readFileSync(join(dir, file), "utf8")) as { lang: string; turns: Array<{ user: string; expect: string[]; not?: string[] }> };
      h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
      for (const [i, turn] of t.turns.entries()) {
        h.fake.reset();
        await h.deliver(h.updates.text(400, turn.user, { lang: t.lang }));
        const sent = h.texts(400).map(plain);
        if (i === 0) {
          const safety = sent.filter((s) => !/\?$/.test(s.trim()) || s.length > 200);
          expect(safety, "one safety message").toHaveLength(1);
          expect(safety[0]!.length).toBeLessThanOrEqual(600);
        }
        const all = sent.join("\n");
        for (const e of turn.expect) expect(all, `${t.lang} turn ${i}`).toContain(e);
        for (const n of turn.not ?? []) expect(all, `${t.lang} turn ${i}`).not.toContain(n);
        expect(all).not.toMatch(/\[1\]/);
      }
    });
  }
});
