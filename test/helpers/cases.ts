/**
 * The two ends of a Slack case thread for tests (test/slack-case*): a Telegram bot against the
 * fake Bot API and a Slack app against the fake Slack, on one store, each with its relay
 * running (or not, to test a missing instance), plus what staff do in the thread.
 */
import { CASE_CLOSE_ACTION, startCaseRelay as startSlackRelay } from "../../adapters/slack/features/cases.ts";
import type { SlackApp } from "../../adapters/slack/app.ts";
import { createBot, type HotlineBot } from "../../adapters/telegram/bot.ts";
import { startCaseRelay as startTelegramRelay } from "../../adapters/telegram/case-relay.ts";
import type { BotDeps } from "../../adapters/telegram/deps.ts";
import type { Assistant } from "../../src/assistant.ts";
import { caseRelays, type RelayOptions, type RelayRunner } from "../../src/conversation/relay.ts";
import type { KeyValueStore } from "../../src/store/kv.ts";
import { loadContacts } from "../../src/triage/contacts.ts";
import { testAssistant, testConfig } from "./assistant.ts";
import { FakeSlack } from "./fake-slack.ts";
import { BOT_INFO, FakeTelegram, TOKEN } from "./fake-telegram.ts";
import { blockAction, eventEnvelope, processBody, testSlackApp } from "./slack-app.ts";

export interface CaseWorld {
  assistant: Assistant;
  tg: FakeTelegram;
  slackApi: FakeSlack;
  channel: string;
  /** Every relay runner started (stop them after the tests). */
  runners: RelayRunner[];
}

/** The fakes and the assistant for a case test file; `closeCaseWorld` stops what was started. */
export async function startCaseWorld(channel: string): Promise<CaseWorld> {
  const [assistant, tg, slackApi] = await Promise.all([testAssistant(), FakeTelegram.start(), new FakeSlack().start()]);
  return { assistant, tg, slackApi, channel, runners: [] };
}

export async function closeCaseWorld(world: CaseWorld | undefined): Promise<void> {
  if (!world) return;
  await Promise.all(world.runners.map((r) => r.stop()));
  await world.tg.close();
  await world.slackApi.close();
}

export interface CaseInstances {
  bot: HotlineBot;
  slack: SlackApp;
  deps: BotDeps;
}

/** One Telegram instance and one Slack instance on `store`; each relay runs unless turned off. */
export function caseInstances(world: CaseWorld, store: KeyValueStore, options: { telegramRelay?: boolean; slackRelay?: boolean; relay?: RelayOptions } = {}): CaseInstances {
  const relays = caseRelays(store, { pollMs: 20, ...options.relay });
  const deps: BotDeps = { core: world.assistant, store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts(), slackCases: relays };
  const bot = createBot(deps, { token: TOKEN, apiRoot: world.tg.apiRoot, botInfo: BOT_INFO });
  const config = testConfig({ SLACK_STAFF_CHANNEL: world.channel, CASE_ID_SECRET: "case-id-secret-for-tests" });
  const slack = testSlackApp({ api: world.slackApi, config, assistant: world.assistant, store, retryConfig: { retries: 0 } });
  if (options.telegramRelay !== false) world.runners.push(startTelegramRelay(bot.api, deps)!);
  if (options.slackRelay !== false) world.runners.push(startSlackRelay(slack.deps, () => slack.app.client)!);
  return { bot, slack, deps };
}

let staffTs = 1_800_000_000;

/** A staff member writes in a thread of the staff channel; returns the message's ts. */
export async function staffSays(world: CaseWorld, slack: SlackApp, thread: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const ts = `${staffTs++}.000100`;
  await processBody(slack, eventEnvelope({ type: "message", channel: world.channel, user: "U0STAFF1", ts, thread_ts: thread, text, ...extra }));
  return ts;
}

/** A staff member presses "Close case" on the thread's root message. */
export async function pressClose(world: CaseWorld, slack: SlackApp, caseId: string, thread: string): Promise<void> {
  await processBody(slack, blockAction({ actionId: CASE_CLOSE_ACTION, value: caseId, channel: world.channel, messageTs: thread, blockId: "hotline_case", responseUrl: world.slackApi.responseUrl("close") }));
}

/** Polls `check` every 10 ms until it holds; throws after `ms`. */
export async function until<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
