/**
 * The key-value store on Redis (REDIS_URL), shared by several bot instances.
 *
 * Fails fast rather than hanging: a command waits at most `commandTimeoutMs` (also while queued
 * during a reconnect), and once Redis has been lost, commands fail at once until it is back, so
 * that callers (see `FallbackStore`) can carry on in memory. ioredis keeps reconnecting.
 */
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import type { KeyValueStore } from "./kv.ts";

/** ioredis, loaded on the first Redis store: a process without REDIS_URL (the CLI) never loads it. */
let RedisClass: typeof Redis | undefined;
function redisClass(): typeof Redis {
  RedisClass ??= (createRequire(import.meta.url)("ioredis") as typeof import("ioredis")).Redis;
  return RedisClass;
}

export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

export interface RedisStoreOptions {
  /** Longest wait for one command (default 1500 ms). */
  commandTimeoutMs?: number;
  /** Longest wait for the first connection before commands fail at once (default 3000 ms). */
  connectTimeoutMs?: number;
}

export class RedisStore implements KeyValueStore {
  readonly redis: Redis;
  private readonly createdAt = Date.now();
  private readonly connectTimeoutMs: number;

  constructor(
    url: string,
    private readonly prefix = "hotline:",
    options: RedisStoreOptions = {},
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.redis = new (redisClass())(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      commandTimeout: options.commandTimeoutMs ?? 1500,
      connectTimeout: this.connectTimeoutMs,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    });
    // Connection errors are reported by the store's users (one warning naming REDIS_URL), not as
    // unhandled 'error' events with stack traces.
    this.redis.on("error", () => undefined);
  }

  /** Resolves true once connected, false after `ms` without a connection. */
  async ready(ms = this.connectTimeoutMs): Promise<boolean> {
    if (this.redis.status === "ready") return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off("ready", onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.redis.on("ready", onReady);
    });
  }

  /** Throws at once when Redis is known to be away (not while the first connection is being made). */
  private guard(): void {
    const status = this.redis.status;
    if (status === "ready") return;
    if (status === "end" || status === "close" || status === "reconnecting" || Date.now() - this.createdAt > this.connectTimeoutMs) {
      throw new StoreUnavailableError(`Redis is not reachable (status ${status})`);
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    this.guard();
    const json = await this.redis.get(this.prefix + key);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    this.guard();
    const json = JSON.stringify(value);
    if (ttlSeconds) await this.redis.set(this.prefix + key, json, "EX", Math.ceil(ttlSeconds));
    else await this.redis.set(this.prefix + key, json);
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    this.guard();
    const json = JSON.stringify(value);
    const result = ttlSeconds
      ? await this.redis.set(this.prefix + key, json, "EX", Math.ceil(ttlSeconds), "NX")
      : await this.redis.set(this.prefix + key, json, "NX");
    return result === "OK";
  }

  async delete(key: string): Promise<void> {
    this.guard();
    await this.redis.del(this.prefix + key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.scan(prefix);
    let n = 0;
    for (let i = 0; i < keys.length; i += 200) n += await this.redis.del(...keys.slice(i, i + 200));
    return n;
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    this.guard();
    if (!ttlSeconds) return this.redis.incrby(this.prefix + key, by);
    // INCRBY and, for a new counter, its expiry in one round trip (atomic on the server).
    const result = (await this.redis.eval(
      "local v = redis.call('INCRBY', KEYS[1], ARGV[1]); if v == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end; return v",
      1,
      this.prefix + key,
      by,
      Math.ceil(ttlSeconds),
    )) as number;
    return result;
  }

  async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number): Promise<T | undefined> {
    this.guard();
    const full = this.prefix + key;
    // WATCH belongs to a connection, and the shared one serves other calls: take one of a small pool.
    const conn = this.idle.pop() ?? this.duplicate();
    let broken = false;
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        await conn.watch(full);
        const json = await conn.get(full);
        const next = change(json === null ? undefined : (JSON.parse(json) as T));
        if (next === undefined) {
          await conn.unwatch();
          return undefined;
        }
        const tx = conn.multi();
        if (ttlSeconds) tx.set(full, JSON.stringify(next), "EX", Math.ceil(ttlSeconds));
        else tx.set(full, JSON.stringify(next));
        if ((await tx.exec()) !== null) return next; // null: another instance changed the key; read again
      }
      throw new Error(`update of ${key} kept conflicting`);
    } catch (err) {
      broken = true;
      conn.disconnect(); // its WATCH state is unknown now
      throw err;
    } finally {
      if (!broken && this.idle.length < 8) this.idle.push(conn);
    }
  }

  private readonly idle: Redis[] = [];
  private readonly all: Redis[] = [];

  private duplicate(): Redis {
    const conn = this.redis.duplicate();
    conn.on("error", () => undefined);
    this.all.push(conn);
    return conn;
  }

  async keys(prefix: string): Promise<string[]> {
    return (await this.scan(prefix)).map((k) => k.slice(this.prefix.length));
  }

  private async scan(prefix: string): Promise<string[]> {
    this.guard();
    let cursor = "0";
    const out: string[] = [];
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${escapeGlob(this.prefix + prefix)}*`, "COUNT", 500);
      cursor = next;
      out.push(...keys);
    } while (cursor !== "0");
    return out;
  }

  async ping(): Promise<boolean> {
    try {
      this.guard();
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    for (const c of this.all) c.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}
