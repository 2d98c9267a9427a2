/**
 * Slack benchmark: 1,000 signed Events API requests (app mentions) from 50 channels through the
 * real HTTP receiver on 127.0.0.1, answered through a fake Slack Web API on 127.0.0.1. Every
 * tenth event is also re-delivered as a Slack retry (`x-slack-retry-num: 1`). Checks that every
 * request is acknowledged within Slack's 3 seconds and every event is answered exactly once;
 * reports acknowledgement latency (p50 / p95 / max), answer latency and events per second.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../src/config.ts";
import { createAssistant } from "../src/app.ts";
import { setLogger } from "../src/logger.ts";
import { startSlack } from "../adapters/slack/start.ts";
import { FakeSlack, eventPayload, mentionEvent, postSigned, type SlackPayload } from "../test/helpers/fake-slack.ts";

const EVENTS = 1000;
const CHANNELS = 50;
/** Requests in flight at once (Slack delivers in parallel). */
const IN_FLIGHT = 50;
const ACK_LIMIT_MS = 3000;
const SECRET = "bench-signing-secret-0123456789";

const QUESTIONS = [
  "How many victims were identified in 2020?",
  "What did the 2007 cable say about shelters?",
  "What are the penalties for trafficking?",
  "How do traffickers recruit victims?",
  "Who is at risk of trafficking in Kazakhstan?",
  "How many trafficking cases were investigated?",
  "Сколько пострадавших выявили в 2020 году?",
  "What help do victims get in shelters?",
  "How many convictions were there?",
  "Does the government fund NGO shelters?",
  "A worker says the employer took her passport and does not pay her",
  "What is the trafficking hotline number?",
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runSlackBench(): Promise<void> {
  setLogger(pino({ level: "silent" }));
  const fake = await new FakeSlack().start();
  const config = loadConfig({
    ...process.env,
    DATA_DIR: mkdtempSync(join(tmpdir(), "hotline-slack-bench-")),
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: "",
    SLACK_API_URL: fake.apiUrl,
    SLACK_STAFF_CHANNEL: "CBENCHSTAFF",
  });
  const assistant = await createAssistant(config);
  const runner = await startSlack({ config, assistant, port: 0 });
  const url = `http://127.0.0.1:${runner.port}/slack/events`;

  interface Job { payload: SlackPayload; ts: string; retry: boolean }
  const jobs: Job[] = [];
  const sentAt = new Map<string, number>();
  // Ids unique per run, so a shared Redis (REDIS_URL) does not remember a previous run.
  const run = Date.now();
  for (let i = 0; i < EVENTS; i++) {
    const channel = `CBENCH${String(i % CHANNELS).padStart(3, "0")}`;
    const ts = `${Math.floor(run / 1000) + i}.${String(run % 1_000_000).padStart(6, "0")}`;
    const payload = eventPayload(mentionEvent({ channel, ts, text: QUESTIONS[i % QUESTIONS.length]! }), `EvBench${run.toString(36)}${i}`);
    jobs.push({ payload, ts, retry: false });
    if (i % 10 === 9) jobs.push({ payload, ts, retry: true });
  }

  // Warm the auth.test cache and the JIT with one event outside the measurement.
  await postSigned(url, eventPayload(mentionEvent({ channel: "CWARMUP", ts: `${Math.floor(run / 1000)}.000001`, text: QUESTIONS[0]! })), { secret: SECRET });
  await fake.waitFor(() => fake.posts((a) => a.channel === "CWARMUP").length > 0, 30_000, "warm-up answer");

  const acks: number[] = [];
  const statuses = new Map<number, number>();
  const isBench = (a: Record<string, unknown>) => typeof a.channel === "string" && a.channel.startsWith("CBENCH") && a.channel !== "CBENCHSTAFF";
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const t = performance.now();
      if (!job.retry) sentAt.set(job.ts, t);
      const res = await postSigned(url, job.payload, job.retry ? { secret: SECRET, retryNum: 1 } : { secret: SECRET });
      acks.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const ackedAll = performance.now();
  let seen = 0;
  let answered = 0;
  const countAnswers = () => {
    for (; seen < fake.calls.length; seen++) {
      const c = fake.calls[seen]!;
      if (c.ok && c.method === "chat.postMessage" && isBench(c.args)) answered++;
    }
    return answered >= EVENTS;
  };
  await fake.waitFor(countAnswers, 600_000, "all answers");
  const answeredAll = performance.now();
  await runner.deps.queue.drain(); // replies still on their way: a duplicate would show up here

  const posts = fake.posts(isBench);
  const perThread = new Map<string, number>();
  const answerMs: number[] = [];
  for (const p of posts) {
    const ts = String(p.args.thread_ts);
    perThread.set(ts, (perThread.get(ts) ?? 0) + 1);
    const s = sentAt.get(ts);
    if (s !== undefined && perThread.get(ts) === 1) answerMs.push(p.at - s);
  }
  const once = [...sentAt.keys()].filter((ts) => perThread.get(ts) === 1).length;
  const dupes = [...perThread.values()].filter((n) => n > 1).length;
  const missing = [...sentAt.keys()].filter((ts) => !perThread.has(ts)).length;
  acks.sort((a, b) => a - b);
  answerMs.sort((a, b) => a - b);
  const late = acks.filter((ms) => ms >= ACK_LIMIT_MS).length;
  const seconds = (answeredAll - start) / 1000;
  const alerts = fake.posts((a) => a.channel === "CBENCHSTAFF").length;

  await runner.stop();
  await fake.close();

  const ok = (v: boolean) => (v ? "ok" : "MISSED");
  const f = (n: number) => n.toFixed(1);
  console.log(`Slack (HTTP receiver, fake Web API on 127.0.0.1, de-duplication in ${config.REDIS_URL ? "Redis" : "memory"})`);
  console.log(`  events:            ${EVENTS} from ${CHANNELS} channels, + ${jobs.length - EVENTS} Slack retries; ${IN_FLIGHT} requests in flight`);
  console.log(`  HTTP statuses:     ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}`);
  console.log(`  acked < 3 s:       ${acks.length - late}/${acks.length}  ${ok(late === 0 && acks.length === jobs.length)}`);
  console.log(`  ack latency:       p50 ${f(percentile(acks, 50))} ms, p95 ${f(percentile(acks, 95))} ms, max ${f(acks.at(-1) ?? 0)} ms`);
  console.log(`  answered once:     ${once}/${EVENTS} (duplicates ${dupes}, missing ${missing})  ${ok(once === EVENTS && dupes === 0)}`);
  console.log(`  answer latency:    p50 ${f(percentile(answerMs, 50))} ms, p95 ${f(percentile(answerMs, 95))} ms (request sent → chat.postMessage)`);
  console.log(`  throughput:        ${f(EVENTS / seconds)} events/s answered (${f(seconds)} s; all acked after ${f((ackedAll - start) / 1000)} s)`);
  console.log(`  staff alerts:      ${alerts}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runSlackBench();
