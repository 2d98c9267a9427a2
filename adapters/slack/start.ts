/** Starts the Slack app (placeholder until the Slack adapter lands). */
import type { Assistant } from "../../src/assistant.ts";
import type { Config } from "../../src/config.ts";
import type { Runner } from "../runner.ts";

export async function startSlack(_deps: { config: Config; assistant: Assistant }): Promise<Runner> {
  throw new Error("The Slack adapter is not built yet; unset SLACK_BOT_TOKEN to use the console chat.");
}
