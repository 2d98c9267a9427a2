/**
 * Keeps the bots answering when Redis is away: every call goes to the primary store (Redis);
 * when it fails, the same call is served from memory for now, with one warning naming
 * REDIS_URL (and one line when Redis is back). Triage and its safety reply therefore never
 * depend on the store. Deletions (/forget) are not faked: they are done in memory and must
 * also reach the primary, else they throw so the person is told it did not work (a single
 * `delete` of a session or claim falls back like the rest).
 *
 * `health()` reports the state for the health check.
 */
import type { Logger } from "pino";
import { logger as rootLogger } from "../logger.ts";
import { MemoryStore, type KeyValueStore } from "./kv.ts";

export interface StoreHealth {
  store: "redis" | "memory";
  ok: boolean;
  /** Calls served from memory since start-up because the primary failed. */
  degradedCalls: number;
}

export class FallbackStore implements KeyValueStore {
  private readonly memory = new MemoryStore();
  private degraded = false;
  private degradedCalls = 0;

  constructor(
    readonly primary: KeyValueStore,
    private readonly log: () => Logger = rootLogger,
  ) {}

  get isDegraded(): boolean {
    return this.degraded;
  }

  health(): StoreHealth {
    return { store: "redis", ok: !this.degraded, degradedCalls: this.degradedCalls };
  }

  private async run<T>(op: string, primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    try {
      const value = await primary();
      if (this.degraded) {
        this.degraded = false;
        this.log().warn({ event: "store_recovered" }, "Redis (REDIS_URL) is reachable again; sessions are shared again");
      }
      return value;
    } catch (err) {
      this.degradedCalls++;
      if (!this.degraded) {
        this.degraded = true;
        this.log().error(
          { event: "store_unavailable", op, err: (err as Error).message.slice(0, 200) },
          "Redis at REDIS_URL is not reachable: carrying on with sessions in memory (not shared between instances) until it is back",
        );
      }
      return fallback();
    }
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run("get", () => this.primary.get<T>(key), () => this.memory.get<T>(key));
  }

  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    return this.run("set", () => this.primary.set(key, value, ttlSeconds), () => this.memory.set(key, value, ttlSeconds));
  }

  setIfAbsent<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    return this.run("setIfAbsent", () => this.primary.setIfAbsent(key, value, ttlSeconds), () => this.memory.setIfAbsent(key, value, ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    await this.memory.delete(key);
    await this.run("delete", () => this.primary.delete(key), async () => undefined);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const n = await this.memory.deletePrefix(prefix);
    return n + (await this.primary.deletePrefix(prefix));
  }

  increment(key: string, by?: number, ttlSeconds?: number): Promise<number> {
    return this.run("increment", () => this.primary.increment(key, by, ttlSeconds), () => this.memory.increment(key, by, ttlSeconds));
  }

  update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number): Promise<T | undefined> {
    return this.run("update", () => this.primary.update(key, change, ttlSeconds), () => this.memory.update(key, change, ttlSeconds));
  }

  async keys(prefix: string): Promise<string[]> {
    const primary = await this.primary.keys(prefix).catch(() => [] as string[]);
    return [...new Set([...primary, ...(await this.memory.keys(prefix))])];
  }

  ping(): Promise<boolean> {
    return this.primary.ping();
  }

  close(): Promise<void> {
    return this.primary.close();
  }
}

/**
 * The shared store behind `store` (Redis behind the fallback), for state that is only correct
 * when every instance sees it (the case relay and its routing): during an outage its calls
 * fail instead of quietly using this process's memory, so callers can say so.
 */
export function sharedOf(store: KeyValueStore): KeyValueStore {
  return store instanceof FallbackStore ? store.primary : store;
}
