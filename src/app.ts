/**
 * Builds the application from configuration: the assistant with triage wired in. Used by
 * `npm start`, the CLI and the tests, so every entry point runs the same pipeline.
 */
import { type Config, loadConfig } from "./config.ts";
import { Assistant } from "./assistant.ts";
import { setYamlCacheDir } from "./yaml-file.ts";
import { createTriage } from "./triage/engine.ts";
import { FileTriageStats } from "./triage/stats.ts";
import { createCardMatcher, loadCards } from "./cards/index.ts";
import { join } from "node:path";
import { loadCorpus } from "./knowledge/corpus.ts";

export async function createAssistant(config: Config = loadConfig(), options: { rebuildIndex?: boolean } = {}): Promise<Assistant> {
  setYamlCacheDir(config.dataDir);
  const corpus = loadCorpus(config.knowledgeDir); // first: its errors name the knowledge folder or manifest
  const triage = createTriage({ contactsFile: config.CONTACTS_FILE });
  const cards = loadCards(join(config.knowledgeDir, "cards"));
  return Assistant.create(config, {
    corpus,
    triage,
    cards: { cards, matcher: createCardMatcher(cards) },
    stats: FileTriageStats.inDataDir(config.dataDir, { debounceMs: 5000 }),
    rebuildIndex: options.rebuildIndex,
  });
}
