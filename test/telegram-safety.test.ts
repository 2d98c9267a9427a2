/**
 * Telegram adapter, safety: disclosures in several languages get the safety reply first (even
 * when answering fails), the handoff goes to staff only on consent and without the user id,
 * groups never see a disclosure's details, and /forget deletes what was kept.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BotCore } from "../adapters/telegram/context.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { BOT_USERNAME, TelegramHarness, htmlProblems } from "./helpers/fake-telegram.ts";

const STAFF = "-100777";
const GROUP = -100555;
let dataDir: string;
let assistant: Assistant;
let h: TelegramHarness;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  dataDir = mkdtempSync(join(tmpdir(), "tg-safety-"));
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(async () => h?.stop());

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> };

describe("Telegram safety routing", () => {
  const disclosures = [
    { lang: "en", text: "My employer took my passport and does not pay me", reply: "Thank you for telling me", button: "NGO worker" },
    { lang: "ru", text: "Работодатель забрал мой паспорт и не платит зарплату", reply: "Спасибо, что рассказали", button: "НПО" },
    { lang: "uz", text: "Ish beruvchi pasportimni olib qo'ydi va pul bermayapti", reply: "rahmat", button: "NNT" },
    { lang: "kk", text: "Мені ұрып жатыр, көмектесіңіз", reply: "112", button: "ҮЕҰ" },
  ];

  for (const d of disclosures) {
    it(`sends one short safety reply with tappable numbers and a consent offer (${d.lang})`, async () => {
      h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
      await h.deliver(h.updates.text(201, d.text));
      const sent = h.fake.sentTo(201);
      const safety = sent[0]!.payload;
      expect(String(safety.text)).toContain(d.reply);
      expect(String(safety.text)).toMatch(/<code>(116 16|112)<\/code>/);
      expect(String(safety.text).replace(/<[^>]+>/g, "").length).toBeLessThanOrEqual(600);
      expect((safety.reply_parameters as { message_id: number }).message_id).toBeGreaterThan(0);
      const buttons = (safety.reply_markup as Keyboard).inline_keyboard.flat();
      expect(buttons.map((b) => b.callback_data)).toEqual(["cv:card", "cv:more", "ho:plain", "ho:share", "ck:start"]);
      expect(buttons[2]!.text).toContain(d.button);
      // No report quote after the safety reply; at most the model's yes/no check-in.
      for (const later of sent.slice(1)) expect(String(later.payload.text)).not.toContain("[1]");
      expect(sent.length).toBeLessThanOrEqual(2);
      expect(h.fake.sentTo(STAFF)).toHaveLength(0); // nothing to staff without consent
      for (const s of sent) expect(htmlProblems(String(s.payload.text))).toEqual([]);
    });
  }

  it("still sends the safety reply when answering throws", async () => {
    const failing = new Proxy(assistant, {
      get(target, prop, receiver) {
        if (prop === "ask") return async () => Promise.reject(new Error("index unavailable"));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as unknown as BotCore;
    h = await TelegramHarness.start({ core: failing });
    await h.deliver(h.updates.text(202, "They took my passport and I cannot leave"), h.updates.text(212, "How many victims in 2020?"), h.updates.text(212, "How many victims in 2021?"));
    expect(h.texts(202)[0]).toContain("116 16");
    const texts = h.texts(212);
    expect(texts[0]).toContain("could not look this up");
    expect(texts[1]).toContain("could not look this up"); // the next message is handled too
  });

  it("shows a guidance card in the person's language with Sources and Talk to someone buttons", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.text(209, "Можно ли меня депортировать, если я пойду в полицию?"));
    const sent = h.fake.sentTo(209);
    const card = sent.find((m) => JSON.stringify(m.payload.reply_markup ?? "").includes("ho:plain"))!.payload;
    expect(String(card.text)).toMatch(/116 16/);
    expect(String(card.text)).toMatch(/[а-я]{4,}/);
    const buttons = (card.reply_markup as Keyboard).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining([expect.stringMatching(/Источники|📖/), "Поговорить с человеком"]));
    const talk = buttons.find((b) => b.callback_data === "ho:plain")!;
    await h.deliver(h.updates.callback(209, talk.callback_data!, { message_id: 1001 }));
    const alerts = h.texts(STAFF);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/case-[0-9a-f]{16}/);
    expect(alerts[0]).not.toContain("209");
    expect(alerts[0]).not.toContain("депортировать");
  });

  it("sends the staff alert only on consent, with case id and indicators but never the user id or text", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.text(203, "My employer took my passport and does not pay me"));
    const offer = h.fake.sentTo(203)[0]!;
    const offerMessage = { message_id: 1000, reply_to_message: { message_id: 1, date: 0, chat: { id: 203, type: "private" }, text: "My employer took my passport and does not pay me" } };
    await h.deliver(h.updates.callback(203, "ho:plain", offerMessage));

    const alerts = h.texts(STAFF);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/case-[0-9a-f]{16}/);
    expect(alerts[0]).toContain("retention of identity documents");
    expect(alerts[0]).toContain("not shared");
    expect(alerts[0]).not.toContain("203");
    expect(alerts[0]).not.toContain("passport and does not pay");
    expect(offer.payload.reply_markup).toBeDefined();
    const caseId = /case-[0-9a-f]{16}/.exec(alerts[0]!)![0];
    expect(h.texts(203).at(-2)).toContain(caseId);
    expect(h.texts(203).at(-1)).toContain("An NGO worker now reads this chat"); // told once, with how to stop

    // A second press does not send a second alert.
    await h.deliver(h.updates.callback(203, "ho:plain", offerMessage));
    expect(h.texts(STAFF)).toHaveLength(1);

    // Staff reply to the alert in the staff chat; the person gets it, staff never see the user.
    const alertMessageId = 1000 + h.fake.calls.filter((c) => c.method === "sendMessage").findIndex((c) => String(c.payload.chat_id) === STAFF);
    await h.deliver(
      h.updates.message(9001, {
        text: "Hello, I am Aigerim from the shelter. Are you safe now?",
        reply_to_message: { message_id: alertMessageId, date: 0, chat: { id: Number(STAFF), type: "supergroup" }, from: { id: 7000001, is_bot: true, first_name: "Hotline" }, text: alerts[0]!.replace(/<[^>]+>/g, "") },
      }, { chatId: Number(STAFF) }),
    );
    expect(h.texts(203).at(-1)).toContain("Are you safe now?");
    expect(h.texts(STAFF).at(-1)).toMatch(new RegExp(`Delivered to [0-9A-Z]{2}-[0-9A-Z]{3} \\(${caseId}\\)`));
  });

  it("includes the message text, escaped, only when the person chose to share it", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    const text = "Boss <b>Serik</b> & co took my passport</a>";
    await h.deliver(h.updates.text(204, text));
    await h.deliver(h.updates.callback(204, "ho:share", { message_id: 1000, reply_to_message: { message_id: 1, date: 0, chat: { id: 204, type: "private" }, text } }));
    const alert = h.texts(STAFF)[0]!;
    expect(alert).toContain("Boss &lt;b&gt;Serik&lt;/b&gt; &amp; co took my passport&lt;/a&gt;");
    expect(htmlProblems(alert)).toEqual([]);
    expect(h.texts(204).at(-2)).toContain("shared your message");
  });

  it("in a group answers only what is addressed to it and never repeats a disclosure there", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    const u = h.updates;
    await h.deliver(
      u.text(205, "How many victims were identified in 2020?", { chatId: GROUP }), // not addressed: ignored
      u.message(205, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }, { chatId: GROUP }),
      u.text(205, `@${BOT_USERNAME} how many victims were identified in 2020?`, { chatId: GROUP }),
      u.text(206, "/help@other_bot", { chatId: GROUP }),
      u.text(206, `/help@${BOT_USERNAME}`, { chatId: GROUP }),
    );
    let texts = h.texts(GROUP);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("[1]");
    expect(texts[1]).toContain("/forget");

    h.fake.reset();
    await h.deliver(u.text(207, "my boss took my passport and locks me in, he does not pay", { chatId: GROUP, replyToBot: 1000 }));
    texts = h.texts(GROUP);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("private chat");
    expect(texts[0]).toContain("delete your message");
    expect(texts[0]).not.toMatch(/passport|locks|pay|serious/i);
    const button = (h.fake.sentTo(GROUP)[0]!.payload.reply_markup as Keyboard).inline_keyboard[0]![0]!;
    expect(button.url).toMatch(new RegExp(`^https://t.me/${BOT_USERNAME}\\?start=s-[a-z0-9]+$`));
    expect(h.fake.sentTo(STAFF)).toHaveLength(0);
    expect(h.fake.sentTo(207)).toHaveLength(0);

    // The link brings the person straight to the safety reply in private, without retelling.
    const start = new URL(button.url!).searchParams.get("start")!;
    await h.deliver(u.text(207, `/start ${start}`));
    expect(h.texts(207)[0]).toMatch(/<code>112<\/code>/);
    expect(h.texts(207)[0]).toContain("not your fault");

    // A hypothetical question in the group is answered normally, without singling anyone out.
    h.fake.reset();
    await h.deliver(u.text(210, `@${BOT_USERNAME} куда звонить если обманули с работой?`, { chatId: GROUP }));
    texts = h.texts(GROUP);
    expect(texts).toHaveLength(1);
    expect(texts[0]).not.toContain("лично");
  });

  it("/forget deletes the language choice, the pending offer and the case routing", async () => {
    const store = new MemoryStore();
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF, store });
    await h.deliver(h.updates.callback(208, "lang:ru"), h.updates.text(208, "Работодатель забрал мой паспорт"));
    await h.deliver(h.updates.callback(208, "ho:plain", { message_id: 1000 }));
    expect(await store.get("tg:u:208:session")).toMatchObject({ locale: "ru" });
    const caseId = /case-[0-9a-f]{16}/.exec(h.texts(STAFF)[0]!)![0];
    expect(await store.get(`tg:case:${caseId}`)).toBeDefined();

    await h.deliver(h.updates.text(208, "/forget"));
    expect(h.texts(208).at(-1)).toContain("удалил");
    expect(await store.get("tg:u:208:session")).toBeUndefined();
    expect(await store.get(`tg:case:${caseId}`)).toBeUndefined();
    expect(await store.deletePrefix("tg:u:208:")).toBe(0);

    // Forgotten: the next message is answered in the app's language again.
    await h.deliver(h.updates.text(208, "/help"));
    expect(h.texts(208).at(-1)).toContain("/hotline — phone numbers");
  });

  it("triages an edited message and a photo caption", async () => {
    h = await TelegramHarness.start({ core: assistant, staffChatId: STAFF });
    await h.deliver(h.updates.edited(209, "They took my passport and do not let me leave"));
    expect(h.texts(209)[0]).toContain("116 16");
    expect(h.fake.sentTo(209)[0]!.payload.reply_markup).toBeDefined();
    await h.deliver(h.updates.message(209, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], caption: "they beat me, help" }));
    const texts = h.texts(209);
    expect(texts.at(-2)).toContain("112");
    expect(texts.at(-1)).toContain("photos");
  });
});
