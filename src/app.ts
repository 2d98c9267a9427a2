/**
 * The composition root. `createApp(config)` builds everything once from validated
 * configuration — the assistant with triage wired in, the contacts directory, the store, the
 * case-id service, the quiz bank and engine, the handoff builder — and every adapter receives
 * it, so KNOWLEDGE_DIR and CONTACTS_FILE mean the same thing everywhere and nothing is loaded
 * twice. `createAssistant(config)` (the CLI, tests) builds only the assistant the same way.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Config, loadConfig } from "./config.ts";
import { Assistant } from "./assistant.ts";
import { logger } from "./logger.ts";
import { setYamlCacheDir } from "./yaml-file.ts";
import { createTriage, type Triage } from "./triage/engine.ts";
import { FileTriageStats } from "./triage/stats.ts";
import { createCardMatcher, loadCards } from "./cards/index.ts";
import { loadCorpus } from "./knowledge/corpus.ts";
import type { Directory } from "./triage/contacts.ts";
import { buildHandoffAlert, caseIdFor, caseIdSecret, ensureDataDir, type BuildHandoffInput, type HandoffAlert } from "./triage/handoff.ts";
import { createStore, redisOf } from "./store/create-store.ts";
import { FallbackStore, type StoreHealth } from "./store/fallback-store.ts";
import type { KeyValueStore } from "./store/kv.ts";
import { loadBank, type QuizBank } from "./quiz/bank.ts";
import { QuizEngine } from "./quiz/engine.ts";

/** Pseudonymous case ids with the one secret all instances share. */
export interface CaseIds {
  readonly secret: string;
  /** Where the secret came from: CASE_ID_SECRET, shared through Redis, or the data folder. */
  readonly source: "env" | "redis" | "file";
  caseIdFor(platform: string, id: string | number): string;
}

export interface Handoff {
  /** The staff alert with the shared case-id secret, or null without consent. */
  alert(input: Omit<BuildHandoffInput, "secret">): HandoffAlert | null;
}

export interface Health {
  ok: boolean;
  store: StoreHealth | { store: "memory"; ok: true };
}

export interface App {
  readonly config: Config;
  readonly assistant: Assistant;
  readonly triage: Triage;
  readonly contacts: Directory;
  readonly store: KeyValueStore;
  readonly caseIds: CaseIds;
  /** Off (undefined, logged) when the bank in KNOWLEDGE_DIR/quiz does not load. */
  readonly quiz?: { bank: QuizBank; engine: QuizEngine };
  readonly handoff: Handoff;
  health(): Promise<Health>;
  /** Flushes statistics and closes the store. */
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = "StartupError";
}

interface Parts {
  assistant: Assistant;
  triage: Triage;
  stats: FileTriageStats;
}

async function buildAssistant(config: Config, options: { rebuildIndex?: boolean; recordStats?: boolean; nativeIndex?: boolean } = {}): Promise<Parts> {
  ensureDataDir(config.dataDir);
  setYamlCacheDir(config.dataDir);
  const corpus = loadCorpus(config.knowledgeDir); // first: its errors name the knowledge folder or manifest
  const triage = createTriage({
    rulesFile: join(config.knowledgeDir, "triage", "rules.yaml"),
    contactsFile: config.CONTACTS_FILE ?? join(config.knowledgeDir, "contacts.yaml"),
  });
  const cards = loadCards(join(config.knowledgeDir, "cards"));
  const stats = FileTriageStats.inDataDir(config.dataDir, { debounceMs: 5000 });
  const assistant = await Assistant.create(config, {
    corpus,
    triage,
    cards: { cards, matcher: createCardMatcher(cards) },
    ...(options.recordStats === false ? {} : { stats }),
    rebuildIndex: options.rebuildIndex,
    ...(options.nativeIndex === false ? { nativeIndex: false } : {}),
  });
  return { assistant, triage, stats };
}

/**
 * Just the assistant. `recordStats: false` for audit and evaluation tools (the CLI): the
 * messages they triage are not people writing to the hotline and must not enter its statistics.
 */
export async function createAssistant(
  config: Config = loadConfig(),
  options: { rebuildIndex?: boolean; recordStats?: boolean; nativeIndex?: boolean } = {},
): Promise<Assistant> {
  return (await buildAssistant(config, options)).assistant;
}

export interface CreateAppOptions {
  rebuildIndex?: boolean;
  /** A store to use instead of `createStore(config)` (tests); it is closed by `close()`. */
  store?: KeyValueStore;
  /** How long start-up waits for Redis before saying it is unreachable (default 3 s). */
  redisWaitMs?: number;
}

export async function createApp(config: Config = loadConfig(), options: CreateAppOptions = {}): Promise<App> {
  const { assistant, triage, stats } = await buildAssistant(config, options);
  const store = options.store ?? createStore(config);
  const redis = redisOf(store);
  let redisUp = true;
  if (redis) {
    redisUp = await redis.ready(options.redisWaitMs ?? 3000);
    if (!redisUp) {
      logger().error(
        { event: "redis_unreachable_at_start" },
        "Redis at REDIS_URL is not reachable at start-up: sessions, quizzes and de-duplication stay in memory (not shared between instances) until it is; safety replies are not affected",
      );
    }
  }
  const caseIds = await resolveCaseIds(config, store, redis !== undefined, redisUp);

  let quiz: App["quiz"];
  try {
    const bank = loadBank(join(config.knowledgeDir, "quiz"));
    quiz = { bank, engine: new QuizEngine({ bank, store }) };
  } catch (err) {
    logger().error({ event: "quiz_bank_failed", err: (err as Error).message.slice(0, 500) }, "quiz bank did not load; quizzes are off");
  }

  return {
    config,
    assistant,
    triage,
    contacts: triage.directory,
    store,
    caseIds,
    ...(quiz ? { quiz } : {}),
    handoff: { alert: (input) => buildHandoffAlert({ ...input, secret: caseIds.secret }) },
    async health() {
      const s: Health["store"] = store instanceof FallbackStore ? { ...store.health(), ok: await store.ping() } : { store: "memory", ok: true };
      return { ok: s.ok, store: s };
    },
    async close() {
      stats.flush();
      await store.close();
    },
  };
}

const SHARED_SECRET_KEY = "case-id-secret";

/**
 * CASE_ID_SECRET wins. With REDIS_URL, instances share one secret kept in Redis (the first
 * instance makes it), so a case id means the same person on every instance. Without Redis at
 * start-up that cannot be guaranteed, and start-up stops saying what to set.
 */
async function resolveCaseIds(config: Config, store: KeyValueStore, shared: boolean, reachable: boolean): Promise<CaseIds> {
  const make = (secret: string, source: CaseIds["source"]): CaseIds => ({ secret, source, caseIdFor: (platform, id) => caseIdFor(platform, id, secret) });
  if (config.CASE_ID_SECRET) return make(config.CASE_ID_SECRET, "env");
  if (!shared) return make(caseIdSecret(config.dataDir), "file");
  const primary = store instanceof FallbackStore ? store.primary : store;
  if (reachable) {
    try {
      await primary.setIfAbsent(SHARED_SECRET_KEY, randomBytes(32).toString("hex"));
      const secret = await primary.get<string>(SHARED_SECRET_KEY);
      if (secret && secret.length >= 16) return make(secret, "redis");
    } catch {
      // fall through to the error below
    }
  }
  throw new StartupError(
    "CASE_ID_SECRET is not set and Redis at REDIS_URL is not reachable: instances sharing REDIS_URL must share the case-id secret. " +
      "Set CASE_ID_SECRET (at least 16 characters, the same on every instance), or start Redis first.",
  );
}
