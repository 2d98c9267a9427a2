/**
 * Delivery under faults: 1,000 updates from 200 people (5 each, 10% disclosures) pushed at a
 * steady rate to a fake Bot API that injects faults into 5% of the sends (500, 429 with a short
 * and with a long retry_after), while bot instances (child processes: `npm start`'s wiring in
 * polling mode) are killed with SIGKILL twice and replaced. Prints what the people received:
 * updates answered, duplicates visible to the person, and the delay from an update's arrival
 * to its last reply (p50, p95, max).
 *
 *   npx tsx bench/delivery.ts [--redis redis://127.0.0.1:6391] [--updates 1000] [--json]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Update } from "grammy/types";
import { FakeTelegram, TOKEN, Updates, type ApiCall } from "../test/helpers/fake-telegram.ts";
import { projectPath } from "../src/paths.ts";

export interface DeliveryReport {
  updates: number;
  answered: number;
  missing: number;
  /** Deliveries of a reply (an update's n-th send) that had already been delivered. */
  duplicates: number;
  /**
   * Duplicates whose first delivery reached the fake Bot API between KILL_WINDOW_MS before a kill -9
   * and the moment the killed process was gone:
   * sends on the wire (or answered, not yet processed) when the instance died. The Bot API offers
   * no way to ask whether a message went out, so these are resent (at-least-once).
   */
  duplicatesAtKill: number;
  /** Messages delivered in all (an update may send more than one). */
  messages: number;
  /** Delivered messages without the bench's trace tag (should be 0). */
  untagged: number;
  faultsInjected: number;
  kills: number;
  delayMs: { p50: number; p95: number; max: number };
  store: string;
  seconds: number;
}

/** How close before a kill -9 a send counts as "on the wire at the kill". */
const KILL_WINDOW_MS = 250;

const QUESTIONS = ["How many victims were identified in 2020?", "What did the 2007 cable say about shelters?", "Who runs the trafficking hotline?", "How many calls did the hotline receive in 2020?"];
const DISCLOSURE = "My employer took my passport and does not pay me";

export async function runDeliveryBench(options: { killWindowMs?: number; updates?: number; redisUrl?: string; kills?: number; faultRate?: number; ratePerSecond?: number; log?: (s: string) => void } = {}): Promise<DeliveryReport> {
  const total = options.updates ?? 1000;
  const perPerson = 5;
  const people = Math.ceil(total / perPerson);
  const faultRate = options.faultRate ?? 0.05;
  const kills = options.kills ?? 2;
  const rate = options.ratePerSecond ?? 100;
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), "hotline-delivery-"));
  const fake = await FakeTelegram.start();
  const started = Date.now();

  // Faults: after each successful call, 5% of the time the next sendMessage fails.
  let faults = 0;
  let seen = 0;
  const faultKinds: Array<[number, Record<string, unknown>]> = [
    [500, { ok: false, error_code: 500, description: "Internal Server Error" }],
    [429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }],
    [429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 30", parameters: { retry_after: 30 } }],
  ];
  let random = 42;
  const rnd = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const tick = setInterval(() => {
    const n = fake.callsOf("sendMessage").length;
    for (; seen < n; seen++) {
      if (rnd() < faultRate) {
        const [status, body] = faultKinds[faults % faultKinds.length]!;
        fake.fail("sendMessage", status, body);
        faults++;
      }
    }
  }, 2);

  // The updates and what each should receive.
  Updates.startAt(Date.now() * 100); // fresh ids: done marks of an earlier run on the same Redis stay for 2 h
  const u = new Updates();
  // Fresh chats too: on a shared Redis, an earlier run's conversation state would change the replies.
  const chatBase = 10_000_000 + (Math.floor(Date.now() / 1000) % 100_000) * 1000;
  const planned: Array<{ update: Update; chat: number; replies: number }> = [];
  for (let round = 0; round < perPerson; round++) {
    for (let p = 0; p < people && planned.length < total; p++) {
      const chat = chatBase + p;
      const disclosure = (p * perPerson + round) % 10 === 3;
      planned.push({ update: u.text(chat, disclosure ? DISCLOSURE : QUESTIONS[(p + round) % QUESTIONS.length]!), chat, replies: 1 }); // a disclosure: one short safety reply (the card is on a button)
    }
  }
  const pushedAt = new Map<number, number>();

  const env = {
    ...process.env,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL_CHILD ?? "silent",
    HOTLINE_LEASE_SECONDS: "2",
    DELIVERY_TRACE: "1",
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl, CASE_ID_SECRET: "bench-case-id-secret-0123456789" } : {}),
  };
  // The compiled instance when dist/ is up to date (it starts in a fraction of tsx's time, twice
  // per kill test); the sources through tsx otherwise.
  const { isStale } = (await import(pathToFileURL(projectPath("bin", "build-if-stale.js")).href)) as { isStale(): boolean };
  const compiled = projectPath("dist", "bench", "delivery-instance.js");
  const instanceArgs = existsSync(compiled) && !isStale() ? [compiled] : ["--import", "tsx", projectPath("bench", "delivery-instance.ts")];
  const spawnInstance = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, instanceArgs, { env, stdio: ["ignore", "pipe", "inherit"], cwd: projectPath() });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("instance did not start")), 60_000);
      child.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
    });
    child.removeAllListeners("exit");
    return child;
  };

  let child = await spawnInstance();
  log(`instance 1 up after ${Date.now() - started} ms`);
  const t0 = Date.now();
  // Push at a steady rate.
  const pushing = (async () => {
    for (let i = 0; i < planned.length; i += 10) {
      const slice = planned.slice(i, i + 10);
      for (const p of slice) pushedAt.set(p.update.update_id, Date.now());
      fake.push(...slice.map((p) => p.update));
      await new Promise((r) => setTimeout(r, (10 / rate) * 1000));
    }
  })();

  // Every visible send carries the update id and its number within the update (DELIVERY_TRACE in
  // the instance), so a duplicate is exactly "the same reply of the same update delivered again".
  const tagOf = (c: ApiCall) => c.payload._bench as { u: number; n: number } | undefined;
  const delivered = () => fake.calls.filter((c) => c.method === "sendMessage" && !c.failed).length;
  const allAnswered = () => {
    const got = new Set<number>();
    for (const c of fake.calls) if (c.method === "sendMessage" && !c.failed && tagOf(c)) got.add(tagOf(c)!.u);
    return planned.every((p) => got.has(p.update.update_id));
  };
  const expectedTotal = planned.length;
  const killedAt: number[] = [];
  const diedAt: number[] = [];

  for (let k = 0; k < kills; k++) {
    const at = Math.round((expectedTotal * (k + 1)) / (kills + 2));
    await fake.waitFor(() => delivered() >= at, 120_000);
    const killed = Date.now() - t0;
    const died = new Promise<number>((resolve) => child.once("exit", () => resolve(Date.now() - t0)));
    child.kill("SIGKILL");
    const gone = await died; // on a busy machine the process goes some time after the signal
    killedAt.push(killed);
    diedAt.push(gone);
    log(`kill -9 #${k + 1} at ${delivered()} messages, ${killed} ms (gone at ${gone} ms)`);
    child = await spawnInstance();
  }
  await pushing;
  await fake.waitFor(allAnswered, 120_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500)); // late duplicates, if any
  child.kill("SIGKILL");
  clearInterval(tick);

  // What each person received: each (update, reply number) once; more is a visible duplicate.
  const byReply = new Map<string, number[]>();
  const firstAt = new Map<number, number>();
  let untagged = 0;
  for (const c of fake.calls) {
    if (c.method !== "sendMessage" || c.failed) continue;
    const tag = tagOf(c);
    if (!tag) {
      untagged++;
      continue;
    }
    const key = `${tag.u}:${tag.n}`;
    (byReply.get(key) ?? byReply.set(key, []).get(key)!).push(c.at ?? 0);
    firstAt.set(tag.u, Math.max(firstAt.get(tag.u) ?? 0, c.at ?? 0));
  }
  let duplicates = 0;
  let atKill = 0;
  for (const [key, times] of byReply) {
    if (times.length < 2) continue;
    duplicates += times.length - 1;
    // First delivered just before a kill -9: the instance died before it learned the send went out.
    const first = times[0]! - t0;
    if (killedAt.some((k, i) => first >= k - (options.killWindowMs ?? KILL_WINDOW_MS) && first <= diedAt[i]!)) atKill += times.length - 1;
    if (process.env.DELIVERY_DEBUG) process.stderr.write(`duplicate ${key}: at ${times.map((t) => t - t0).join(", ")} ms (kills at ${killedAt.map((k, i) => `${k}-${diedAt[i]}`).join(", ")} ms)\n`);
  }
  let answered = 0;
  const delays: number[] = [];
  for (const p of planned) {
    const last = firstAt.get(p.update.update_id);
    if (last === undefined) continue;
    answered++;
    delays.push(last - pushedAt.get(p.update.update_id)!);
  }
  delays.sort((a, b) => a - b);
  const q = (f: number) => delays[Math.min(delays.length - 1, Math.floor(f * delays.length))] ?? 0;
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    updates: planned.length,
    answered,
    missing: planned.length - answered,
    duplicates,
    duplicatesAtKill: atKill,
    messages: delivered(),
    untagged,
    faultsInjected: faults,
    kills,
    delayMs: { p50: q(0.5), p95: q(0.95), max: delays.at(-1) ?? 0 },
    store: options.redisUrl ? "redis" : "memory",
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
}

if (process.argv[1]?.endsWith("delivery.ts") || process.argv[1]?.endsWith("delivery.js")) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const report = await runDeliveryBench({
    updates: Number(arg("--updates") ?? 1000),
    ...(arg("--redis") ? { redisUrl: arg("--redis")! } : {}),
    log: (s) => process.stderr.write(`${s}\n`),
  });
  if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(
      `delivery (${report.store}): ${report.updates} updates, ${report.faultsInjected} injected faults, ${report.kills} kill -9\n` +
        `  answered ${report.answered}/${report.updates} (${((100 * report.answered) / report.updates).toFixed(1)}%), missing ${report.missing}, duplicates visible ${report.duplicates} (${report.duplicatesAtKill} of them sent within ${KILL_WINDOW_MS} ms before a kill -9 or while the killed process was going; ${report.messages} messages${report.untagged ? `, ${report.untagged} untagged` : ""})\n` +
        `  delay p50 ${report.delayMs.p50} ms, p95 ${report.delayMs.p95} ms, max ${report.delayMs.max} ms (${report.seconds} s in all)\n`,
    );
  }
  process.exit(0);
}
