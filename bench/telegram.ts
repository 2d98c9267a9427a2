/**
 * Telegram load run: 2,000 updates from 200 people through the real bot (grammY + runner,
 * long polling) against the fake Bot API on 127.0.0.1. Checks that every update is answered
 * exactly once and in order per chat, and prints updates/s and handling latency.
 *
 * Each person sends 10 updates: /start, a language button, 5 questions (six languages), a
 * sticker, /hotline and /help. Every one of them yields exactly one message, so "answered
 * exactly once" is checked by counting, and order by each reply's kind.
 * Latency is per update from entering the bot to its last API call returning, minus the time
 * spent waiting on the fake server; queueing behind the same chat's earlier updates counts.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Update } from "grammy/types";
import { createBot } from "../adapters/telegram/bot.ts";
import { startPolling } from "../adapters/telegram/polling.ts";
import { createAssistant } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadContacts } from "../src/triage/contacts.ts";
import { BOT_INFO, FakeTelegram, TOKEN, Updates } from "../test/helpers/fake-telegram.ts";

const USERS = 200;
const PER_USER = 10;
const TARGET_RATE = 500;
const TARGET_P95_MS = 20;

const QUESTIONS = [
  "How many victims were identified in 2020?",
  "Where can a victim get help?",
  "What are the penalties for trafficking?",
  "Is there a trafficking hotline?",
  "How do traffickers recruit migrants?",
  "Сколько жертв выявили в 2020 году?",
  "Где пострадавшие могут получить помощь?",
  "Какое наказание за торговлю людьми?",
  "Зардап шеккендерге қандай көмек бар?",
  "Qurbonlarga qanday yordam beriladi?",
  "Жабырлануучуларга кандай жардам бар?",
  "Ба қурбониён чӣ гуна кӯмак расонида мешавад?",
  "How many convictions were there in 2013?",
  "Do shelters exist for foreign victims?",
  "Are labor migrants from Uzbekistan at risk?",
];
const LANGS = ["en", "ru", "kk", "uz", "ky", "tg"];

type Kind = "start" | "language" | "question" | "sticker" | "hotline" | "help";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function runTelegramBench(): Promise<void> {
  setLogger(pino({ level: "silent" }));
  const dataDir = mkdtempSync(join(tmpdir(), "tg-bench-"));
  const assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
  const fake = await FakeTelegram.start();

  const timing = new AsyncLocalStorage<{ api: number }>();
  const handled = new Map<number, number>();
  const latencies: number[] = [];
  const totals: number[] = [];
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  const total = USERS * PER_USER;

  const bot = createBot(
    { core: assistant, store: new MemoryStore(), caseSecret: "bench-case-secret-0123456789", contacts: loadContacts() },
    {
      token: TOKEN,
      apiRoot: fake.apiRoot,
      botInfo: BOT_INFO,
      observer: {
        done(updateId, ms) {
          handled.set(updateId, (handled.get(updateId) ?? 0) + 1);
          totals.push(ms);
          latencies.push(ms - (timing.getStore()?.api ?? 0));
          if (handled.size === total) allDone();
        },
      },
    },
  );
  // Time spent waiting on the fake server, per update.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const started = performance.now();
    try {
      return await prev(method, payload, signal);
    } finally {
      const store = timing.getStore();
      if (store) store.api += performance.now() - started;
    }
  });
  const handleUpdate = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update, webhook) => timing.run({ api: 0 }, () => handleUpdate(update, webhook));

  // Warm the retrieval index and the code paths (not measured).
  for (const q of QUESTIONS) await assistant.ask(q);

  const u = new Updates();
  const expected = new Map<number, Kind[]>();
  const batches: Update[][] = [];
  for (let step = 0; step < PER_USER; step++) {
    const batch: Update[] = [];
    for (let i = 0; i < USERS; i++) {
      const user = 500_000 + i;
      const lang = LANGS[i % LANGS.length]!;
      let kind: Kind;
      let update: Update;
      if (step === 0) (kind = "start"), (update = u.text(user, "/start", { lang }));
      else if (step === 1) (kind = "language"), (update = u.callback(user, `lang:${lang}`));
      else if (step === 7) (kind = "sticker"), (update = u.message(user, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
      else if (step === 8) (kind = "hotline"), (update = u.text(user, "/hotline"));
      else if (step === 9) (kind = "help"), (update = u.text(user, "/help"));
      else (kind = "question"), (update = u.text(user, QUESTIONS[(i * 7 + step) % QUESTIONS.length]!, { lang }));
      batch.push(update);
      expected.set(user, [...(expected.get(user) ?? []), kind]);
    }
    batches.push(batch);
  }
  // Interleave people the way they arrive: everyone's first message, then everyone's second...
  const all = batches.flat();

  const polling = await startPolling(bot, { timeout: 1 });
  fake.reset();
  const started = performance.now();
  fake.push(...all);
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await polling.stop();
  await fake.close();

  // Every update answered exactly once, replies in order per chat.
  const handledOnce = [...handled.values()].every((n) => n === 1) && handled.size === total;
  let answeredOnce = true;
  let ordered = true;
  for (const [user, kinds] of expected) {
    const texts = fake.sentTo(user).map((c) => String(c.payload.text));
    if (texts.length !== kinds.length) {
      answeredOnce = false;
      continue;
    }
    kinds.forEach((kind, i) => {
      if (classify(texts[i]!) !== kind) ordered = false;
    });
  }

  latencies.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  const rate = total / seconds;
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const lines = [
    `Telegram: ${total} updates from ${USERS} people through the fake Bot API (polling, @grammyjs/runner)`,
    `  handled exactly once: ${handledOnce ? "yes" : "NO"}; one reply each: ${answeredOnce ? "yes" : "NO"}; per-chat order kept: ${ordered ? "yes" : "NO"}`,
    `  throughput: ${rate.toFixed(0)} updates/s (${seconds.toFixed(2)} s) — target ≥ ${TARGET_RATE}: ${rate >= TARGET_RATE ? "met" : "NOT met"}`,
    `  handling latency excluding the fake server: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms — target p95 ≤ ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? "met" : "NOT met"}`,
    `  including the fake server's responses: p50 ${percentile(totals, 50).toFixed(1)} ms, p95 ${percentile(totals, 95).toFixed(1)} ms`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  rmSync(dataDir, { recursive: true, force: true });
}

/** What kind of update a reply answers, from its text (English and the five other languages). */
function classify(html: string): Kind {
  if (/^\/hotline|\n\/hotline/.test(html) && /\/forget/.test(html)) return "help";
  if (/languages?:|lang|Language:|Язык:|Тіл:|Til:|Тил:|Забон:/.test(html) && !/<b>/.test(html) && html.length < 120) return "language";
  if (/Hello\.|Здравствуйте|Сәлеметсіз|Assalomu|Саламатсызбы|Салом\./.test(html)) return "start";
  if (/116 16/.test(html) && /112/.test(html) && /Where to get help|Куда обратиться|Қайдан көмек|Qayerdan yordam|Кайдан жардам|Аз куҷо кӯмак/.test(html)) return "hotline";
  if (/written|написанные|жазылған|yozilgan|жазылган|навиштаро/.test(html)) return "sticker";
  return "question";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runTelegramBench().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
