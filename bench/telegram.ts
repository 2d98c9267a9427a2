/**
 * Telegram load run: 2,000 updates from 200 people through the real bot (grammY + runner,
 * long polling) against the fake Bot API on 127.0.0.1. Checks that every update is handled and
 * answered exactly once and in order per chat, and prints throughput and handling latency.
 *
 * Each person sends 10 updates: /start, a language button, 5 questions (six languages), a
 * sticker, /hotline and /help. Every one of them yields exactly one message, so "answered
 * exactly once" is checked by counting, and order by each reply's kind.
 *
 * How it is measured:
 * - The fake Bot API runs in a child process (bench/telegram-fake.ts), so its work does not
 *   share the bot's event loop. The updates are queued there at once, and the bot fetches them
 *   the way it fetches from Telegram: `getUpdates`, at most 100 per poll (@grammyjs/runner).
 * - Throughput: updates / time from queueing the first to handling the last.
 * - Handling latency, per update: from when the bot starts handling it (its turn, after the
 *   same chat's earlier updates: `sequentialize`) until it is done, minus the time spent in Bot
 *   API calls (waiting on the fake server's HTTP responses, which includes waiting for the busy
 *   event loop to take each response). Queueing (fetched → its turn), the time including the
 *   API calls and fetched → done are reported separately. The bot takes one update at a time
 *   on the CPU (middleware/turn.ts), so an update's handling does not include the others' work.
 */
import { fork, type ChildProcess } from "node:child_process";
import { run as runBot, sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import type { Update } from "grammy/types";
import { createBot } from "../adapters/telegram/bot.ts";
import { startPolling } from "../adapters/telegram/polling.ts";
import { createAssistant } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadContacts } from "../src/triage/contacts.ts";
import { BOT_INFO, TOKEN, Updates } from "../test/helpers/fake-telegram.ts";
import type { FakeReport, FakeRequest } from "./telegram-fake.ts";

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

/** One update's timeline (performance.now() ms) and its time in Bot API calls. */
interface Timing {
  received: number;
  started?: number;
  done?: number;
  api: number;
  handled: number;
}

/** The fake Bot API in a child process; compiled JavaScript when this file is compiled. */
class FakeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
  ) {}

  static start(): Promise<FakeServer> {
    const compiled = import.meta.url.endsWith(".js");
    const script = fileURLToPath(new URL(compiled ? "./telegram-fake.js" : "./telegram-fake.ts", import.meta.url));
    const child = fork(script, [], { execArgv: compiled ? [] : ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, LOG_LEVEL: "silent" } });
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`fake Bot API exited (${code})`)));
      child.once("message", (m: { type: string; apiRoot: string }) => resolve(new FakeServer(child, m.apiRoot)));
    });
  }

  push(updates: Update[]): void {
    this.child.send({ type: "push", updates } satisfies FakeRequest);
  }

  report(): Promise<FakeReport> {
    return new Promise((resolve) => {
      this.child.once("message", (m: FakeReport) => resolve(m));
      this.child.send({ type: "report" } satisfies FakeRequest);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.removeAllListeners("exit");
      this.child.once("exit", () => resolve());
      this.child.send({ type: "close" } satisfies FakeRequest);
    });
  }
}

/** 10 updates per person, interleaved the way people write: everyone's first, then everyone's second... */
function workload(u: Updates, users: number, firstUser: number): { updates: Update[]; expected: Map<number, Kind[]> } {
  const expected = new Map<number, Kind[]>();
  const steps: Update[][] = [];
  for (let step = 0; step < PER_USER; step++) {
    const batch: Update[] = [];
    for (let i = 0; i < users; i++) {
      const user = firstUser + i;
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
    steps.push(batch);
  }
  return { updates: steps.flat(), expected };
}

/**
 * The baseline: the thinnest grammY bot on the same fake API (runner, sequentialize per chat,
 * one reply per update, no other work). Returns updates/s for the same workload.
 */
async function bareGrammyRate(fake: FakeServer, u: Updates): Promise<{ rate: number; answeredOnce: boolean }> {
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO, client: { apiRoot: fake.apiRoot } });
  let waiting = 0;
  let allDone: () => void = () => undefined;
  const handled = new Map<number, number>();
  bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  bot.use(async (ctx) => {
    if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, "ok");
    const n = (handled.get(ctx.update.update_id) ?? 0) + 1;
    handled.set(ctx.update.update_id, n);
    if (n === 1 && --waiting === 0) allDone();
  });
  const handle = runBot(bot, { runner: { fetch: { timeout: 1 }, silent: true } });
  const go = async (updates: Update[]): Promise<number> => {
    handled.clear();
    waiting = updates.length;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    const started = performance.now();
    fake.push(updates);
    await finished;
    return performance.now() - started;
  };
  await go(workload(u, 20, 800_000).updates); // warm-up
  const { updates } = workload(u, USERS, 700_000);
  const ms = await go(updates);
  await handle.stop();
  return { rate: updates.length / (ms / 1000), answeredOnce: handled.size === updates.length && [...handled.values()].every((n) => n === 1) };
}

export async function runTelegramBench(): Promise<void> {
  setLogger(pino({ level: "silent" }));
  const dataDir = mkdtempSync(join(tmpdir(), "tg-bench-"));
  const assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
  const fake = await FakeServer.start();
  const u = new Updates(); // one sequence of update ids for both bots on the one fake API
  const bare = await bareGrammyRate(fake, u);

  const timings = new Map<number, Timing>();
  let waiting = 0;
  let allDone: () => void = () => undefined;

  const bot = createBot(
    { core: assistant, store: new MemoryStore(), caseSecret: "bench-case-secret-0123456789", contacts: loadContacts() },
    {
      token: TOKEN,
      apiRoot: fake.apiRoot,
      botInfo: BOT_INFO,
      observer: {
        started(ctx) {
          const t = timings.get(ctx.update.update_id);
          if (!t) return;
          t.started = performance.now();
          // Time spent in this update's Bot API calls (waiting on the fake server); `ctx.api` is the update's own.
          ctx.api.config.use(async (prev, method, payload, signal) => {
            const called = performance.now();
            try {
              return await prev(method, payload, signal);
            } finally {
              t.api += performance.now() - called;
            }
          });
        },
        done(updateId) {
          const t = timings.get(updateId);
          if (!t) return;
          t.done = performance.now();
          if (++t.handled === 1 && --waiting === 0) allDone();
        },
      },
    },
  );
  // When the runner hands an update to the bot (it has been fetched).
  const handleUpdate = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update, webhook) => {
    const t = timings.get(update.update_id);
    if (t) t.handled = -1_000_000; // handed over twice: flagged as not "exactly once"
    else timings.set(update.update_id, { received: performance.now(), api: 0, handled: 0 });
    return handleUpdate(update, webhook);
  };

  const polling = await startPolling(bot, { timeout: 1 });
  const run = async (updates: Update[]): Promise<number> => {
    timings.clear();
    waiting = updates.length;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    const started = performance.now();
    fake.push(updates);
    await finished;
    return performance.now() - started;
  };

  // Warm-up through the whole path (other people; not measured): JIT, connections, caches.
  await run(workload(u, 20, 900_000).updates);
  const before = await fake.report();

  const { updates, expected } = workload(u, USERS, 500_000);
  const cpuBefore = process.cpuUsage();
  const wallMs = await run(updates);
  const cpu = process.cpuUsage(cpuBefore);
  await polling.stop();
  const report = await fake.report();
  await fake.close();

  // Every update handled exactly once, one reply each, replies in order per chat.
  const total = updates.length;
  const all = [...timings.values()];
  const handledOnce = all.length === total && all.every((t) => t.handled === 1);
  const byChat = new Map<string, string[]>();
  // The model's check-in is a second, separate message beside an answer (by design); counted apart.
  let checkIns = 0;
  for (const [chat, text, checkIn] of report.sent.slice(before.sent.length)) {
    if (checkIn) checkIns++;
    else byChat.set(chat, [...(byChat.get(chat) ?? []), text]);
  }
  let answeredOnce = true;
  let ordered = true;
  for (const [user, kinds] of expected) {
    const texts = byChat.get(String(user)) ?? [];
    if (texts.length !== kinds.length) answeredOnce = false;
    kinds.forEach((kind, i) => {
      if (texts[i] === undefined || classify(texts[i]!) !== kind) ordered = false;
    });
  }

  const sorted = (f: (t: Timing) => number) => all.map(f).sort((a, b) => a - b);
  const handling = sorted((t) => t.done! - t.started! - t.api);
  const withApi = sorted((t) => t.done! - t.started!);
  const api = sorted((t) => t.api);
  const queued = sorted((t) => t.started! - t.received);
  const endToEnd = sorted((t) => t.done! - t.received);
  const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${xs.at(-1)!.toFixed(1)} ms`;
  const seconds = wallMs / 1000;
  const rate = total / seconds;
  const p95 = percentile(handling, 95);
  const polls = report.polls - before.polls;
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const lines = [
    `Telegram: ${total} updates from ${USERS} people through the fake Bot API (long polling, @grammyjs/runner; fake server in a child process)`,
    `  fetched in ${polls} getUpdates polls of at most ${report.maxBatch} updates`,
    `  handled exactly once: ${handledOnce ? "yes" : "NO"}; one reply each: ${answeredOnce ? "yes" : "NO"}; per-chat order kept: ${ordered ? "yes" : "NO"}; the model's check-in beside an answer: ${checkIns} of ${total}`,
    `  throughput: ${rate.toFixed(0)} updates/s (${seconds.toFixed(2)} s; bot process CPU ${((cpu.user + cpu.system) / 1000 / wallMs * 100).toFixed(0)}% of one core) — target ≥ ${TARGET_RATE}: ${met(rate >= TARGET_RATE)}`,
    `  bare grammY runner bot (sequentialize, one reply per update) on the same fake API: ${bare.rate.toFixed(0)} updates/s${bare.answeredOnce ? "" : " (NOT all answered once)"}`,
    `  ratio bot ÷ bare grammY: ${(rate / bare.rate).toFixed(2)} — goal ≥ 0.8: ${met(rate / bare.rate >= 0.8)}`,
    `  handling latency excluding the fake server: ${fmt(handling)} — target p95 ≤ ${TARGET_P95_MS} ms: ${met(p95 <= TARGET_P95_MS)}`,
    `  time in Bot API calls per update (the fake server's replies, and the wait for the busy event loop to take them): ${fmt(api)}`,
    `  handling including those calls: ${fmt(withApi)}`,
    `  queueing before handling (fetched → its turn, behind the same chat's earlier updates and the batch): ${fmt(queued)}`,
    `  fetched → done: ${fmt(endToEnd)}`,
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
