/**
 * One bot instance for the delivery benchmark and the kill -9 tests: `npm start`'s wiring
 * (createApp + startTelegram) with short claim leases, configured by the environment
 * (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, DATA_DIR, REDIS_URL, and for webhook mode
 * TELEGRAM_WEBHOOK_URL/SECRET/PORT). Prints "ready" on stdout once it takes updates.
 */
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { startTelegram } from "../adapters/telegram/start.ts";
import { Delivery } from "../adapters/telegram/delivery.ts";

// Bench-only tracing: each visible send carries `_bench: {u, n}` (the update id and the send's
// number within the update), so the benchmark can tell a repeated send of the same reply (a
// duplicate) from an update that legitimately sends two messages. The fake Bot API records it.
if (process.env.DELIVERY_TRACE) {
  const VISIBLE = new Set(["sendMessage", "sendPoll", "sendDocument", "copyMessage", "forwardMessage", "sendPhoto"]);
  const original = Delivery.prototype.idempotentSends;
  Delivery.prototype.idempotentSends = function (this: Delivery, updateId: number) {
    const inner = original.call(this, updateId);
    let n = 0;
    return (prev, method, payload, signal) => {
      if (!VISIBLE.has(method)) return inner(prev, method, payload, signal);
      const tag = { u: updateId, n: n++ };
      return inner((m, p, s) => prev(m, { ...p, _bench: tag } as never, s), method, payload, signal);
    };
  } as typeof original;
}

const app = await createApp(loadConfig());
const runner = await startTelegram(app, { leaseSeconds: Number(process.env.HOTLINE_LEASE_SECONDS ?? 3), pollTimeout: 1 });
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  setTimeout(() => process.exit(1), 10_000).unref();
  void runner.stop().then(() => app.close()).then(() => process.exit(0));
});
// Stop with the parent (the benchmark or a test) rather than outlive it.
setInterval(() => {
  if (process.ppid === 1) process.exit(1);
}, 500).unref();
