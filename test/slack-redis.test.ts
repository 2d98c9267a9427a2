/**
 * Two Slack app instances behind a load balancer share de-duplication through Redis: the same
 * event delivered to both is answered once. Runs only when REDIS_TEST_URL is set (CI starts
 * redis-server); skipped otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Receiver } from "@slack/bolt";
import { Assistant } from "../src/assistant.ts";
import { setLogger, logger } from "../src/logger.ts";
import { RedisStore } from "../src/store/redis-store.ts";
import { createSlackApp, type SlackApp } from "../adapters/slack/app.ts";
import { feedbackCounts } from "../adapters/slack/features/feedback.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, BOT_USER_ID, TEAM_ID } from "./helpers/fake-slack.ts";

const url = process.env.REDIS_TEST_URL;
const stub: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };

describe.skipIf(!url)("Slack with Redis (REDIS_TEST_URL)", () => {
  let fake: FakeSlack;
  const stores: RedisStore[] = [];
  const apps: SlackApp[] = [];
  const prefix = `hotline-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    setLogger(pino({ level: "silent" }));
    fake = await new FakeSlack().start();
    const config = testConfig();
    const assistant = await Assistant.create(config);
    for (let i = 0; i < 2; i++) {
      const store = new RedisStore(url!, prefix);
      stores.push(store);
      apps.push(createSlackApp({ token: "xoxb-test", receiver: stub, config: { ...config, SLACK_API_URL: fake.apiUrl }, assistant, store, log: logger() }));
    }
  });

  afterAll(async () => {
    await stores[0]?.deletePrefix("");
    await Promise.all(stores.map((s) => s.close()));
    await fake?.close();
  });

  it("answers an event delivered to two instances once", async () => {
    const body = {
      type: "event_callback", team_id: TEAM_ID, api_app_id: "A0APP", event_id: "EvRedis0001", event_time: 1,
      event: { type: "app_mention", user: "U0STAFF1", channel: "C0REDIS1", ts: "1700002000.000100", text: `<@${BOT_USER_ID}> penalties for trafficking` },
    };
    await Promise.all(apps.map((a, i) => a.app.processEvent({ body, ack: async () => undefined, ...(i ? { retryNum: 1 } : {}) })));
    expect(fake.posts((a) => a.channel === "C0REDIS1")).toHaveLength(1);
  });

  it("keeps feedback counts in Redis, shared by the instances", async () => {
    await stores[0]!.increment("slack:feedback:doc:p1:up");
    await stores[1]!.increment("slack:feedback:doc:p1:up");
    expect(await feedbackCounts(stores[0]!, "doc:p1")).toEqual({ up: 2, down: 0 });
  });
});
