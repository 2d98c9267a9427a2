/**
 * `npm start`: validates configuration, builds the app once (`createApp`), and starts every
 * adapter that has credentials (Telegram, Slack); with none, the console chat.
 *
 * SIGINT / SIGTERM: stop taking updates, let those in flight finish for at most
 * SHUTDOWN_DEADLINE_MS (10 s), flush statistics, close the store, exit 0 — or exit 1 when the
 * deadline passed (what was unfinished is redelivered to the next instance).
 */
import { ConfigError, loadConfig } from "./config.ts";
import { createApp, StartupError } from "./app.ts";
import { logger } from "./logger.ts";
import { loadDotEnv } from "./env-file.ts";
import type { Runner } from "../adapters/runner.ts";
import { startTelegram } from "../adapters/telegram/start.ts";
import { startSlack } from "../adapters/slack/start.ts";
import { runConsoleChat } from "../adapters/console/chat.ts";

export const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const runners: Runner[] = [];
  const app = await createApp(config);
  if (config.telegramEnabled) runners.push(await startTelegram(app));
  if (config.slackEnabled) runners.push(await startSlack({ config, assistant: app.assistant, app }));

  if (runners.length === 0) {
    await runConsoleChat({ assistant: app.assistant, input: process.stdin, output: process.stdout, ...(app.quiz ? { quizBank: app.quiz.bank } : {}) });
    await app.close();
    return;
  }
  logger().info({ event: "started", adapters: runners.map((r) => r.name) }, "hotline bot running");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ event: "stopping", signal, deadline_ms: SHUTDOWN_DEADLINE_MS }, "stopping adapters");
    const timer = setTimeout(() => {
      logger().error({ event: "shutdown_deadline" }, "in-flight updates did not finish within the deadline; exiting (they will be delivered again)");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    await Promise.allSettled(runners.map((r) => r.stop()));
    await app.close().catch(() => undefined);
    clearTimeout(timer);
    logger().info({ event: "stopped" }, "stopped");
    logger().flush?.();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
