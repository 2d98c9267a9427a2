/**
 * `npm start`: validates configuration, builds the assistant, and starts every adapter that
 * has credentials (Telegram, Slack); with none, the console chat. SIGINT / SIGTERM stop the
 * adapters gracefully (in-flight messages finish) and exit 0.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { createAssistant } from "./app.ts";
import { logger } from "./logger.ts";
import { loadDotEnv } from "./env-file.ts";
import type { Runner } from "../adapters/runner.ts";
import { startTelegram } from "../adapters/telegram/start.ts";
import { startSlack } from "../adapters/slack/start.ts";
import { runConsoleChat } from "../adapters/console/chat.ts";

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const runners: Runner[] = [];
  const assistant = await createAssistant(config);
  if (config.telegramEnabled) runners.push(await startTelegram({ config, assistant }));
  if (config.slackEnabled) runners.push(await startSlack({ config, assistant }));

  if (runners.length === 0) {
    await runConsoleChat({ assistant, input: process.stdin, output: process.stdout });
    return;
  }
  logger().info({ event: "started", adapters: runners.map((r) => r.name) }, "hotline bot running");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ event: "stopping", signal }, "stopping adapters");
    await Promise.allSettled(runners.map((r) => r.stop()));
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
