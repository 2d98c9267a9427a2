/**
 * The fake Bot API for the Telegram benchmark, in a child process of its own so that its work
 * (parsing requests, building replies) does not run on the bot's event loop. Driven over IPC:
 *
 *   child → parent  { type: "ready", apiRoot }
 *   parent → child  { type: "push", updates }     queue updates for getUpdates (≤ 100 per poll)
 *   parent → child  { type: "report" }            → { type: "report", sent, polls, maxBatch, served }
 *   parent → child  { type: "close" }             → exits
 */
import type { Update } from "grammy/types";
import { FakeTelegram } from "../test/helpers/fake-telegram.ts";

export type FakeRequest = { type: "push"; updates: Update[] } | { type: "report" } | { type: "close" };

export interface FakeReport {
  type: "report";
  /** Every sendMessage, in arrival order: chat id, text, and whether it is the model's check-in (Yes / No on `ci:`). */
  sent: Array<[chatId: string, text: string, checkIn: boolean]>;
  /** Other methods called, with counts. */
  methods: Record<string, number>;
  /** getUpdates polls that returned updates, the largest batch and updates served. */
  polls: number;
  maxBatch: number;
  served: number;
}

const fake = await FakeTelegram.start();
const send = (message: unknown) => process.send!(message);

process.on("message", (message: FakeRequest) => {
  if (message.type === "push") fake.push(...message.updates);
  else if (message.type === "report") {
    const methods: Record<string, number> = {};
    const sent: FakeReport["sent"] = [];
    for (const call of fake.calls) {
      if (call.method === "sendMessage") sent.push([String(call.payload.chat_id), String(call.payload.text), JSON.stringify(call.payload.reply_markup ?? "").includes('"ci:')]);
      else methods[call.method] = (methods[call.method] ?? 0) + 1;
    }
    const report: FakeReport = { type: "report", sent, methods, polls: fake.batches.length, maxBatch: Math.max(0, ...fake.batches), served: fake.batches.reduce((a, b) => a + b, 0) };
    send(report);
  } else if (message.type === "close") {
    void fake.close().then(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready", apiRoot: fake.apiRoot });
