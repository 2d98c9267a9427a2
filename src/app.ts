/**
 * Builds the application from configuration: the assistant with triage wired in. Used by
 * `npm start`, the CLI and the tests, so every entry point runs the same pipeline.
 */
import { type Config, loadConfig } from "./config.ts";
import { Assistant } from "./assistant.ts";

export async function createAssistant(config: Config = loadConfig(), options: { rebuildIndex?: boolean } = {}): Promise<Assistant> {
  return Assistant.create(config, { rebuildIndex: options.rebuildIndex });
}
