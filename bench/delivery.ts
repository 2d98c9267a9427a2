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
import { FakeTelegram, TOKEN, Updates } from "../test/helpers/fake-telegram.ts";
import { projectPath } from "../src/paths.ts";

export interface DeliveryReport {
  updates: number;
  answered: number;
  missing: number;
  duplicates: number;
  faultsInjected: number;
  kills: number;
  delayMs: { p50: number; p95: number; max: number };
  store: string;
  seconds: number;
}

const QUESTIONS = ["How many victims were identified in 2020?", "What did the 2007 cable say about shelters?", "Who runs the trafficking hotline?", "How many calls did the hotline receive in 2020?"];
const DISCLOSURE = "My employer took my passport and does not pay me";

export async function runDeliveryBench(options: { updates?: number; redisUrl?: string; kills?: number; faultRate?: number; ratePerSecond?: number; log?: (s: string) => void } = {}): Promise<DeliveryReport> {
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
  const planned: Array<{ update: Update; chat: number; replies: number }> = [];
  for (let round = 0; round < perPerson; round++) {
    for (let p = 0; p < people && planned.length < total; p++) {
      const chat = 810_000 + p;
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

  const expected = new Map<number, number>();
  for (const p of planned) expected.set(p.chat, (expected.get(p.chat) ?? 0) + p.replies);
  const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
  const delivered = () => fake.calls.filter((c) => c.method === "sendMessage" && !c.failed).length;
  /** True when every person has at least the replies they should get. */
  const allAnswered = () => {
    const got = new Map<number, number>();
    for (const c of fake.calls) if (c.method === "sendMessage" && !c.failed) got.set(Number(c.payload.chat_id), (got.get(Number(c.payload.chat_id)) ?? 0) + 1);
    for (const [chat, want] of expected) if ((got.get(chat) ?? 0) < want) return false;
    return true;
  };

  for (let k = 0; k < kills; k++) {
    const at = Math.round((expectedTotal * (k + 1)) / (kills + 2));
    await fake.waitFor(() => delivered() >= at, 120_000);
    child.kill("SIGKILL");
    log(`kill -9 #${k + 1} at ${delivered()} messages`);
    child = await spawnInstance();
  }
  await pushing;
  await fake.waitFor(allAnswered, 120_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500)); // late duplicates, if any
  child.kill("SIGKILL");
  clearInterval(tick);

  // What each person received.
  let duplicates = 0;
  let answered = 0;
  const delays: number[] = [];
  const byChat = new Map<number, Array<{ at: number }>>();
  for (const c of fake.calls) {
    if (c.method !== "sendMessage" || c.failed) continue;
    const chat = Number(c.payload.chat_id);
    (byChat.get(chat) ?? byChat.set(chat, []).get(chat)!).push({ at: c.at ?? 0 });
  }
  for (const [chat, want] of expected) {
    const got = byChat.get(chat) ?? [];
    duplicates += Math.max(0, got.length - want);
    if (process.env.DELIVERY_DEBUG && got.length > want) {
      const msgs = fake.calls.filter((c) => c.method === "sendMessage" && !c.failed && Number(c.payload.chat_id) === chat);
      process.stderr.write(`chat ${chat}: want ${want}, got ${got.length}: ${msgs.map((m) => `${m.at! - t0}:${String(m.payload.text).slice(0, 25)}`).join(" | ")}\n`);
    }
    // The person's updates in order, each with its number of replies: match replies in order.
    let i = 0;
    for (const p of planned.filter((x) => x.chat === chat)) {
      const replies = got.slice(i, i + p.replies);
      i += p.replies;
      if (replies.length === p.replies) {
        answered++;
        delays.push(replies.at(-1)!.at - pushedAt.get(p.update.update_id)!);
      }
    }
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
        `  answered ${report.answered}/${report.updates} (${((100 * report.answered) / report.updates).toFixed(1)}%), missing ${report.missing}, duplicates visible ${report.duplicates}\n` +
        `  delay p50 ${report.delayMs.p50} ms, p95 ${report.delayMs.p95} ms, max ${report.delayMs.max} ms (${report.seconds} s in all)\n`,
    );
  }
  process.exit(0);
}
