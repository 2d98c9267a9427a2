/** Picks the store from configuration: Redis when REDIS_URL is set, memory otherwise. */
import type { KeyValueStore } from "./kv.ts";
import { MemoryStore } from "./kv.ts";
import { RedisStore } from "./redis-store.ts";

export function createStore(config: { REDIS_URL?: string | undefined }, prefix?: string): KeyValueStore {
  return config.REDIS_URL ? new RedisStore(config.REDIS_URL, prefix) : new MemoryStore();
}
