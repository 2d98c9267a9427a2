/**
 * The Slack app for listener tests, without an HTTP receiver: events are handed to
 * `app.processEvent`, Web API calls go to the fake Slack on 127.0.0.1. One place for what
 * test/slack-case*, slack-handlers* and slack-threads* set up the same way.
 */
import type { Receiver, ReceiverEvent, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import { createSlackApp, type SlackApp } from "../../adapters/slack/app.ts";
import type { Assistant } from "../../src/assistant.ts";
import type { Config } from "../../src/config.ts";
import { logger } from "../../src/logger.ts";
import type { KeyValueStore } from "../../src/store/kv.ts";
import { type FakeSlack, TEAM_ID, uniqueId } from "./fake-slack.ts";

/** A receiver that receives nothing: the test delivers events itself. */
export const stubReceiver: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };

export interface TestSlackOptions {
  api: FakeSlack;
  config: Config;
  assistant: Assistant;
  store: KeyValueStore;
  log?: Logger;
  /** The Web API client's own retries (HTTP 429, network); short by default. */
  retryConfig?: webApi.RetryOptions;
}

/** The real Slack app (every feature registered) talking to the fake Web API, with short retries. */
export function testSlackApp(options: TestSlackOptions): SlackApp {
  return createSlackApp({
    token: "xoxb-test-token",
    receiver: stubReceiver,
    config: { ...options.config, SLACK_API_URL: options.api.apiUrl },
    assistant: options.assistant,
    store: options.store,
    log: options.log ?? logger(),
    retry: { retries: 2, baseMs: 5 },
    retryConfig: options.retryConfig ?? { retries: 2, minTimeout: 5, maxTimeout: 20 },
  });
}

/** An Events API envelope around one event, as Slack posts it. */
export function eventEnvelope(event: Record<string, unknown>, eventId: string = uniqueId("Ev")): Record<string, unknown> {
  return { type: "event_callback", team_id: TEAM_ID, api_app_id: "A0APP", event_id: eventId, event_time: 1, event };
}

/** Hands a request body (an envelope, a command, an action) to the app; returns what it acknowledged. */
export async function processBody(slack: SlackApp, body: Record<string, unknown>, retryNum?: number): Promise<unknown[]> {
  const acks: unknown[] = [];
  const event: ReceiverEvent = { body, ack: async (r?: unknown) => void acks.push(r ?? null), ...(retryNum ? { retryNum } : {}) };
  await slack.app.processEvent(event);
  return acks;
}

/** A button press on a message in `channel` (block_actions), as Slack sends it. */
export function blockAction(args: { actionId: string; value: string; channel: string; messageTs: string; user?: string; blockId?: string; responseUrl: string }): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: TEAM_ID, domain: "fake" },
    user: { id: args.user ?? "U0STAFF2", username: "staff", team_id: TEAM_ID },
    api_app_id: "A0APP",
    token: "legacy",
    trigger_id: uniqueId("trig."),
    channel: { id: args.channel, name: "cases" },
    container: { type: "message", message_ts: args.messageTs, channel_id: args.channel, is_ephemeral: false },
    message: { ts: args.messageTs, type: "message", text: "" },
    response_url: args.responseUrl,
    actions: [{ type: "button", action_id: args.actionId, block_id: args.blockId ?? "b", value: args.value, action_ts: "1" }],
  };
}
