/** The key-value store on Redis (REDIS_URL), shared by several bot instances. */
import { Redis } from "ioredis";
import type { KeyValueStore } from "./kv.ts";

export class RedisStore implements KeyValueStore {
  readonly redis: Redis;

  constructor(url: string, private readonly prefix = "hotline:") {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.redis.get(this.prefix + key);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    const json = JSON.stringify(value);
    if (ttlSeconds) await this.redis.set(this.prefix + key, json, "EX", Math.ceil(ttlSeconds));
    else await this.redis.set(this.prefix + key, json);
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    const json = JSON.stringify(value);
    const result = ttlSeconds
      ? await this.redis.set(this.prefix + key, json, "EX", Math.ceil(ttlSeconds), "NX")
      : await this.redis.set(this.prefix + key, json, "NX");
    return result === "OK";
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let cursor = "0";
    let n = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${escapeGlob(this.prefix + prefix)}*`, "COUNT", 200);
      cursor = next;
      if (keys.length) n += await this.redis.del(...keys);
    } while (cursor !== "0");
    return n;
  }

  async increment(key: string, by = 1): Promise<number> {
    return this.redis.incrby(this.prefix + key, by);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}
