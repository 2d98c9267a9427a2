/**
 * Picks the store from configuration: Redis when REDIS_URL is set (wrapped so that an outage
 * degrades to memory instead of failing the update), memory otherwise.
 */
import { FallbackStore } from "./fallback-store.ts";
import type { KeyValueStore } from "./kv.ts";
import { MemoryStore } from "./kv.ts";
import { RedisStore, type RedisStoreOptions } from "./redis-store.ts";

export function createStore(config: { REDIS_URL?: string | undefined }, prefix?: string, options: RedisStoreOptions = {}): KeyValueStore {
  return config.REDIS_URL ? new FallbackStore(new RedisStore(config.REDIS_URL, prefix, options)) : new MemoryStore();
}

/** The Redis store behind `store`, if any. */
export function redisOf(store: KeyValueStore): RedisStore | undefined {
  if (store instanceof RedisStore) return store;
  if (store instanceof FallbackStore) return redisOf(store.primary);
  return undefined;
}
