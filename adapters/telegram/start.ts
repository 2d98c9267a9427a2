/** Starts the Telegram bot (placeholder until the Telegram adapter lands). */
import type { Assistant } from "../../src/assistant.ts";
import type { Config } from "../../src/config.ts";
import type { Runner } from "../runner.ts";

export async function startTelegram(_deps: { config: Config; assistant: Assistant }): Promise<Runner> {
  throw new Error("The Telegram adapter is not built yet; unset TELEGRAM_BOT_TOKEN to use the console chat.");
}
