/**
 * One bot instance for the delivery benchmark and the kill -9 tests: `npm start`'s wiring
 * (createApp + startTelegram) with short claim leases, configured by the environment
 * (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, DATA_DIR, REDIS_URL, and for webhook mode
 * TELEGRAM_WEBHOOK_URL/SECRET/PORT). Prints "ready" on stdout once it takes updates.
 */
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { startTelegram } from "../adapters/telegram/start.ts";

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
