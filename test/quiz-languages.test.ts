/**
 * The quiz bank in six languages: a full quiz of 10 questions runs end to end in each language
 * on Telegram (fake Bot API) and on Slack (fake Web API), every question, option and
 * explanation in that language; the translations are faithful to the English (numbers,
 * organisations, script). `/quiz` takes the trainer's language, or a language argument.
 */
import { rmSync } from "node:fs";
import { pino } from "pino";
import type { Receiver } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp, type SlackApp } from "../adapters/slack/app.ts";
import { parseQuizArgs } from "../adapters/telegram/features/quiz.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { checkTranslation } from "../src/knowledge/faithfulness.ts";
import { LANGUAGES, type Lang, localeOf } from "../src/language/languages.ts";
import { logger, setLogger } from "../src/logger.ts";
import { loadBank, QuizEngine, type QuizBank } from "../src/quiz/index.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { testConfig, testDataDir } from "./helpers/assistant.ts";
import { FakeSlack, blockText, buttons, TEAM_ID, uniqueId } from "./helpers/fake-slack.ts";
import { TelegramHarness } from "./helpers/fake-telegram.ts";

let dataDir: string;
let assistant: Assistant;
let bank: QuizBank;
let h: TelegramHarness | undefined;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  dataDir = testDataDir();
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
  bank = loadBank();
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Every text of the bank in `lang` (questions, options, explanations), to recognise what was sent. */
function textsIn(lang: Lang): { questions: Set<string>; explanations: string[] } {
  const questions = new Set<string>();
  const explanations: string[] = [];
  for (const q of bank.questions) {
    const t = lang === "en" ? q : q.translations?.[lang];
    if (!t) continue;
    questions.add(t.question);
    explanations.push(t.explanation);
  }
  return { questions, explanations };
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("the quiz bank in six languages", () => {
  it("has at least 10 questions in every language", () => {
    for (const lang of LANGUAGES) expect(bank.countIn(lang), lang).toBeGreaterThanOrEqual(10);
  });

  it("translations are faithful: figures, organisations, script, not English", () => {
    const problems: string[] = [];
    for (const q of bank.questions) {
      for (const [lang, t] of Object.entries(q.translations ?? {})) {
        for (const [field, en, text] of [["question", q.question, t.question], ["explanation", q.explanation, t.explanation]] as const) {
          for (const p of checkTranslation(en, text, lang as Exclude<Lang, "en">)) problems.push(`${q.file} ${q.id} ${lang}.${field} [${p.code}] ${p.detail}`);
        }
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("picks the questions written in the quiz's language first", () => {
    for (const lang of LANGUAGES) {
      const chosen = bank.select({ count: 10, lang, random: seeded(3) });
      expect(chosen.filter((q) => q.languages.includes(lang)), lang).toHaveLength(10);
    }
  });

  it("reads a language argument in /quiz", () => {
    expect(parseQuizArgs("figures 5 kk")).toEqual({ topic: "figures", count: 5, locale: localeOf("kk") });
    expect(parseQuizArgs("uz-Cyrl 45s")).toEqual({ seconds: 45, locale: localeOf("uz", "cyrillic") });
    expect(parseQuizArgs("")).toEqual({});
  });
});

describe("Telegram: a full 10-question quiz in each language", () => {
  for (const lang of LANGUAGES) {
    it(`runs in ${lang}`, async () => {
      const store = new MemoryStore();
      h = await TelegramHarness.start({ core: assistant, store, quiz: new QuizEngine({ bank, store, random: seeded(11) }) });
      const me = 700 + LANGUAGES.indexOf(lang);
      // The app is in English; the language argument decides.
      await h.deliver(h.updates.text(me, `/quiz 10 ${lang}`, { lang: "en" }));
      expect(h.texts(me)[0]).toContain(assistant.t(localeOf(lang), "quiz.intro", { count: 10 }).split(".")[0]!);
      const own = textsIn(lang);
      for (let i = 0; i < 10; i++) {
        const poll = h.fake.pollsIn(me)[i]!;
        expect(poll, `poll ${i + 1}`).toBeTruthy();
        const text = poll.question.replace(/^\d+\/\d+\. /, "");
        expect(own.questions.has(text), `${lang} poll ${i + 1}: ${text}`).toBe(true);
        const explanation = String(poll.payload.explanation ?? "");
        expect(own.explanations.some((e) => explanation.includes(e)), `${lang} explanation ${i + 1}: ${explanation}`).toBe(true);
        const correct = (poll.payload.correct_option_ids as number[])[0]!;
        await h.deliver(h.updates.pollAnswer(me, poll.pollId, [i % 2 === 0 ? correct : (correct + 1) % poll.options.length]));
      }
      expect(h.fake.pollsIn(me)).toHaveLength(10);
      expect(h.texts(me).at(-1)).toBe(assistant.t(localeOf(lang), "quiz.finished", { correct: 5, total: 10 }));
    });
  }
});

describe("Slack: a full 10-question quiz in each language", () => {
  const stub: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };
  let fake: FakeSlack;
  const apps: SlackApp[] = [];
  beforeAll(async () => {
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    for (const a of apps) a.quiz?.stop();
    await fake?.close();
  });

  async function click(slack: SlackApp, channel: string, actionId: string, value: string, user: string): Promise<void> {
    await slack.app.processEvent({
      body: {
        type: "block_actions", team: { id: TEAM_ID }, user: { id: user, name: user }, channel: { id: channel }, trigger_id: uniqueId("t."),
        container: { type: "message", message_ts: "1", channel_id: channel }, response_url: fake.responseUrl(uniqueId("click")), api_app_id: "A0APP", token: "legacy",
        actions: [{ type: "button", action_id: actionId, value, block_id: "b", action_ts: "1" }],
      },
      ack: async () => undefined,
    });
  }

  for (const lang of LANGUAGES) {
    it(`runs in ${lang}`, async () => {
      const store = new MemoryStore();
      const config = testConfig();
      const slack = createSlackApp({
        token: "xoxb-test", receiver: stub, config: { ...config, SLACK_API_URL: fake.apiUrl }, assistant, store, log: logger(),
        quiz: { engine: new QuizEngine({ bank, store, random: seeded(5) }), openPeriodSeconds: 0 },
      });
      apps.push(slack);
      const channel = `C0LANG${lang.toUpperCase()}`;
      await slack.app.processEvent({
        body: { command: "/hotline-quiz", text: `10 ${lang}`, team_id: TEAM_ID, channel_id: channel, user_id: "U0TRAINER", user_name: "trainer", response_url: fake.responseUrl(uniqueId("quiz")), trigger_id: uniqueId("t."), api_app_id: "A0APP", token: "legacy" },
        ack: async () => undefined,
      });
      const own = textsIn(lang);
      for (let i = 0; i < 10; i++) {
        const post = fake.posts((a) => a.channel === channel)[i]!;
        expect(post, `question ${i + 1}`).toBeTruthy();
        const text = blockText(post.args.blocks);
        expect([...own.questions].some((q) => text.includes(q)), `${lang} question ${i + 1}: ${text.slice(0, 200)}`).toBe(true);
        const options = buttons(post.args.blocks).filter((b) => b.action_id.startsWith("hotline_quiz_answer_"));
        await click(slack, channel, options[0]!.action_id, options[0]!.value, "U0ALICE");
        const next = buttons(post.args.blocks).find((b) => b.action_id === "hotline_quiz_next")!;
        await click(slack, channel, "hotline_quiz_next", next.value, "U0TRAINER");
        const reveal = fake.successful("chat.update", (a) => a.channel === channel)[i]!;
        const revealed = blockText(reveal.args.blocks);
        expect(own.explanations.some((e) => revealed.includes(e)), `${lang} reveal ${i + 1}: ${revealed.slice(0, 300)}`).toBe(true);
      }
      const board = fake.posts((a) => a.channel === channel)[10]!;
      expect(blockText(board.args.blocks)).toContain(assistant.t(localeOf(lang), "slack.quiz.finished").replace(/^:\w+: /, ""));
    });
  }
});
