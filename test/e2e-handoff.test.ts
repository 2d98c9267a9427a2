/**
 * The whole handoff as a person and a staff member live it (issue 11), through the real
 * composition root started the way `npm start` does (`node bin/build-if-stale.js`, then
 * `node dist/src/main.js` with only environment variables): Telegram against a fake Bot API,
 * Slack (HTTP mode, SLACK_STAFF_CHANNEL) against a fake Slack Web API, signed Events API
 * requests for what staff type, Redis at REDIS_TEST_URL when it is set (memory otherwise).
 *
 * Disclosure → the one short first reply with its buttons → consent → the case thread opens in
 * the staff channel → the person's follow-up appears in the thread → a staff reply in the
 * thread reaches the person → a file staff share gets a clear note → the person closes →
 * a late staff reply gets a note → a new case → /forget closes it and the store keeps nothing
 * of the person. Asserts on what the person and the staff channel receive, and that the logs
 * carry neither message text nor the person's id.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/store/redis-store.ts";
import { testDataDir } from "./helpers/assistant.ts";
import { FakeSlack, blockText, buttons, eventPayload, postSigned } from "./helpers/fake-slack.ts";
import { FakeTelegram, TOKEN, Updates } from "./helpers/fake-telegram.ts";
import { projectPath } from "../src/paths.ts";
import { freePort } from "./helpers/processes.ts";

const CHANNEL = "C0E2ECASES";
const SIGNING_SECRET = "e2e-signing-secret";
const PERSON = 880_001;
const plain = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Redis for the run: REDIS_TEST_URL on a database of its own (the bot's keys are not prefixed). */
const redisUrl = process.env.REDIS_TEST_URL ? withDb(process.env.REDIS_TEST_URL, 11) : undefined;
function withDb(url: string, db: number): string {
  const u = new URL(url);
  if (u.pathname === "" || u.pathname === "/") u.pathname = `/${db}`;
  return u.toString();
}

let tg: FakeTelegram;
let slack: FakeSlack;
let bot: ChildProcess;
let slackPort: number;
let logs = "";
let exited: Promise<number | null>;

async function until<T>(check: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- bot output ---\n${logs.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  // `npm start` = build if stale, then run the compiled composition root.
  const build = spawnSync(process.execPath, [projectPath("bin", "build-if-stale.js")], { cwd: projectPath(), encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  tg = await FakeTelegram.start();
  slack = await new FakeSlack().start();
  slackPort = await freePort();
  if (redisUrl) {
    const clean = new RedisStore(redisUrl, "");
    await clean.deletePrefix("");
    await clean.close();
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: "info",
    DATA_DIR: testDataDir(),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    SLACK_BOT_TOKEN: "xoxb-e2e-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_PORT: String(slackPort),
    SLACK_STAFF_CHANNEL: CHANNEL,
    CASE_ID_SECRET: "e2e-case-id-secret-0123456789",
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  bot = spawn(process.execPath, [projectPath("dist", "src", "main.js")], { cwd: projectPath(), env, stdio: ["ignore", "pipe", "pipe"] });
  bot.stdout!.on("data", (c: Buffer) => void (logs += c.toString("utf8")));
  bot.stderr!.on("data", (c: Buffer) => void (logs += c.toString("utf8")));
  exited = new Promise((resolve) => bot.once("exit", (code) => resolve(code)));
  await until(() => logs.includes('"event":"started"'), "the bot to start", 45_000);
}, 90_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    bot.kill("SIGTERM");
    await exited;
  }
  await tg?.close();
  await slack?.close();
  if (redisUrl) {
    const clean = new RedisStore(redisUrl, "");
    await clean.deletePrefix("");
    await clean.close();
  }
});

const u = new Updates();
const toPerson = () => tg.sentTo(PERSON).map((c) => ({ text: plain(String(c.payload.text)), markup: c.payload.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined }));
const personTexts = () => toPerson().map((m) => m.text);
const roots = () => slack.posts((a) => a.channel === CHANNEL && a.thread_ts === undefined);
const inThread = (ts: string) => slack.posts((a) => a.channel === CHANNEL && a.thread_ts === ts).map((c) => String(c.args.text));

let staffTs = 1_900_000_000;
/** A staff member writes in the case thread (a signed Events API request to the bot's HTTP receiver). */
async function staffWrites(thread: string, fields: Record<string, unknown>): Promise<void> {
  const ts = `${staffTs++}.000200`;
  const event = { type: "message", channel: CHANNEL, channel_type: "channel", user: "U0STAFF7", ts, thread_ts: thread, ...fields };
  const res = await postSigned(`http://127.0.0.1:${slackPort}/slack/events`, eventPayload(event), { secret: SIGNING_SECRET });
  expect(res.status).toBe(200);
}

describe.sequential("the handoff end to end, through npm start's composition root", () => {
  let thread = "";
  let code = "";

  it("a disclosure gets one short first reply with its buttons, and one handoff offer", async () => {
    tg.push(u.text(PERSON, "My employer took my passport and does not pay me, I cannot leave"));
    const first = await until(() => toPerson()[0], "the first reply");
    expect(first.text).toContain("116 16");
    expect(first.text.length).toBeLessThanOrEqual(600);
    const labels = (first.markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
    expect(labels).toEqual(expect.arrayContaining(["cv:card", "cv:more", "ho:plain", "ho:share", "ck:start"]));
    // No report quote after the safety reply (at most the model's check-in question).
    await new Promise((r) => setTimeout(r, 200));
    expect(personTexts().some((t) => /\[1\]/.test(t))).toBe(false);
  });

  it("consent opens a case thread in the staff channel; the person is told once who reads the chat", async () => {
    tg.push(u.callback(PERSON, "ho:plain"));
    const told = await until(() => personTexts().find((t) => /reads this chat/.test(t)), "the 'an NGO worker reads this chat' note");
    code = /\b[0-9A-Z]{2}-[0-9A-Z]{3}\b/.exec(told)![0];
    const root = await until(() => roots().find((c) => String(c.args.text).includes(code)), "the case thread in the staff channel");
    thread = String(root.response!.ts);
    const shown = blockText(root.args.blocks);
    expect(shown).toContain("retention of identity documents");
    expect(shown).not.toContain(String(PERSON));
    expect(buttons(root.args.blocks).map((b) => b.text)).toContain(`Close case ${code}`);
    expect(personTexts().filter((t) => /reads this chat/.test(t))).toHaveLength(1);
  });

  it("the person's follow-up appears in the thread, not answered by the bot", async () => {
    const before = toPerson().length;
    tg.push(u.text(PERSON, "we are in Almaty, 10 people at a construction site"));
    await until(() => inThread(thread).find((t) => t === `*${code}:* we are in Almaty, 10 people at a construction site`), "the follow-up in the thread");
    expect(toPerson()).toHaveLength(before); // relayed, not answered with a report quote
  });

  it("a staff reply in the thread reaches the person, marked delivered; a file gets a clear note", async () => {
    await staffWrites(thread, { text: "Hello, I am from the NGO. Are you safe right now?" });
    const got = await until(() => personTexts().find((t) => t.includes("Are you safe right now?")), "the staff reply at the person");
    expect(got).toContain("NGO worker");
    expect(got).not.toContain("U0STAFF7");
    await until(() => slack.successful("reactions.add", (a) => a.name === "white_check_mark").length >= 1, "the delivered mark");

    const before = toPerson().length;
    await staffWrites(thread, { subtype: "file_share", text: "", files: [{ id: "F0FILE1", name: "shelter-map.pdf", mimetype: "application/pdf" }] });
    await until(() => inThread(thread).find((t) => /not passed on|not relayed|Only text/i.test(t) && t.includes(code)), "the note that files are not relayed");
    expect(toPerson()).toHaveLength(before);
  });

  it("the person closes with /stop; a late staff reply gets a note and reaches nobody", async () => {
    tg.push(u.text(PERSON, "/stop"));
    await until(() => personTexts().find((t) => /no longer reads this chat/.test(t)), "the person told the case is closed");
    await until(() => inThread(thread).find((t) => t.includes("the person closed the conversation")), "staff told the case is closed");
    const before = toPerson().length;
    await staffWrites(thread, { text: "are you still there?" });
    await until(() => inThread(thread).find((t) => t.includes(`Case ${code} is closed`) && t.includes("Nothing was sent")), "the closed-case note");
    expect(toPerson()).toHaveLength(before);
  });

  it("a new case, then /forget: staff are told, the person is told, nothing of the case is kept", async () => {
    // Within the day of the crisis state, a new disclosure gets a short follow-up, with the
    // handoff offer again (the earlier one was used by the closed case).
    const sent = toPerson().length;
    tg.push(u.text(PERSON, "they took my passport again and lock the door at night"));
    const again = await until(() => toPerson().slice(sent).find((m) => (m.markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === "ho:plain")), "the handoff offered again");
    expect(again.text).toMatch(/116 16|112/);
    const roots0 = roots().length;
    tg.push(u.callback(PERSON, "ho:plain"));
    const root = await until(() => roots()[roots0], "a second case thread");
    const second = String(root.response!.ts);
    tg.push(u.text(PERSON, "/forget"));
    await until(() => personTexts().find((t) => /deleted everything/.test(t)), "the person told their data is deleted");
    await until(() => inThread(second).find((t) => t.includes("deleted their data")), "staff told of /forget");
    const before = toPerson().length;
    await staffWrites(second, { text: "hello again?" });
    await until(() => inThread(second).find((t) => t.includes("is closed") && t.includes("Nothing was sent")), "the closed-case note after /forget");
    expect(toPerson()).toHaveLength(before);
    if (redisUrl) {
      const store = new RedisStore(redisUrl, "");
      try {
        const keys = await store.keys("");
        // Only staff-side routing stays (thread ↔ pseudonymous case id): nothing with the person's chat.
        expect(keys.filter((k) => k.includes(String(PERSON)))).toEqual([]);
        expect(keys.filter((k) => /^tg:case:case-[0-9a-f]{16}$/.test(k))).toEqual([]);
        expect(keys.filter((k) => k.startsWith("relay:") && k.includes(":item:"))).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it("logs carry neither message text nor the person's id; case ids are logged as case_id", async () => {
    for (const secret of ["Almaty", "Are you safe", "passport", "are you still there", String(PERSON)]) expect(logs).not.toContain(secret);
    expect(logs).toContain('"case_id":"case-');
    expect(logs).not.toContain('"caseId"');
    // The command menu was set in every language (a missing description used to stop it).
    expect(logs).not.toContain("set_commands_failed");
    expect(tg.callsOf("setMyCommands").every((c) => (c.payload.commands as Array<{ command: string }>).some((x) => x.command === "check"))).toBe(true);
    expect(tg.callsOf("setMyCommands")).toHaveLength(6);
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(logs).toContain('"event":"stopped"');
  });
});

