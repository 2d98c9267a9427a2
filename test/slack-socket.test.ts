/**
 * Socket Mode (SLACK_APP_TOKEN): the app opens `apps.connections.open` on SLACK_API_URL,
 * connects to the WebSocket it is given, acknowledges each envelope and answers in the thread.
 * The Socket Mode server here is a plain `ws` server on 127.0.0.1 (ws ships with
 * @slack/socket-mode).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { startSlack, type SlackRunner } from "../adapters/slack/start.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, blockText, BOT_USER_ID, TEAM_ID } from "./helpers/fake-slack.ts";

interface WsSocket {
  send(data: string): void;
  on(event: "message", listener: (data: Buffer) => void): void;
  close(): void;
}
interface WsServer {
  on(event: "connection", listener: (socket: WsSocket) => void): void;
  on(event: "listening", listener: () => void): void;
  address(): { port: number };
  clients: Set<WsSocket>;
  close(cb?: () => void): void;
}
const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: new (o: { host: string; port: number }) => WsServer };

let fake: FakeSlack;
let wss: WsServer;
let runner: SlackRunner;
const acks: string[] = [];
let connected: WsSocket | undefined;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  fake = await new FakeSlack().start();
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.on("listening", resolve));
  wss.on("connection", (socket) => {
    connected = socket;
    socket.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as { envelope_id?: string };
      if (msg.envelope_id) acks.push(msg.envelope_id);
    });
    socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0APP" }, debug_info: { host: "fake", approximate_connection_time: 3600 } }));
  });
  fake.socketUrl = `ws://127.0.0.1:${wss.address().port}/`;
  const config = testConfig({ SLACK_BOT_TOKEN: "xoxb-test", SLACK_APP_TOKEN: "xapp-test", SLACK_API_URL: fake.apiUrl });
  const assistant = await Assistant.create(config);
  runner = await startSlack({ config, assistant, store: new MemoryStore(), quiz: false });
});

afterAll(async () => {
  await runner?.stop();
  for (const c of wss?.clients ?? []) c.close();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  await fake?.close();
});

describe("Slack in Socket Mode", () => {
  it("connects through SLACK_API_URL, acks the envelope and answers in the thread", async () => {
    expect(runner.mode).toBe("socket");
    expect(fake.successful("apps.connections.open")).toHaveLength(1);
    const event = { type: "app_mention", user: "U0STAFF1", channel: "C0SOCK01", ts: "1700003000.000100", text: `<@${BOT_USER_ID}> How many victims were identified in 2020?` };
    connected!.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: "",
        payload: { type: "event_callback", team_id: TEAM_ID, api_app_id: "A0APP", event_id: "EvSock1", event_time: 1, event },
      }),
    );
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.channel === "C0SOCK01"); return p.length ? p : undefined; });
    expect(acks).toContain("env-1");
    expect(post!.args.thread_ts).toBe("1700003000.000100");
    expect(blockText(post!.args.blocks)).toMatch(/\*\[1\]\* /);
  });
});
