/**
 * A small key-value store for state the adapters keep between messages: chosen language,
 * quiz state, de-duplication of platform retries, feedback counts. In memory by default; in
 * Redis when REDIS_URL is set, so several instances can share it. Values are JSON.
 *
 * Privacy: never put message text in here. Keys use platform ids only where a platform needs
 * them to route a reply (a chat id); anything kept about a person is deleted by /forget.
 */

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  /** Sets the value only if the key is absent; true when it was set (use for de-duplication). */
  setIfAbsent<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes every key that starts with `prefix` (used by /forget). */
  deletePrefix(prefix: string): Promise<number>;
  /** Adds `by` to a counter and returns the new value; `ttlSeconds` sets the expiry when the counter is new. */
  increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  /**
   * Changes one value atomically, also across instances sharing Redis (optimistic WATCH/MULTI,
   * retried on conflict): `change` gets the current value (undefined when absent) and returns the
   * new one, or undefined to leave it as it is. It may run more than once; keep it pure.
   */
  update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number): Promise<T | undefined>;
  /** Every key starting with `prefix` (tests, /forget, quiz clean-up); never on a hot path. */
  keys(prefix: string): Promise<string[]>;
  /** True when the store answers (health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

interface Entry {
  json: string;
  expires?: number;
}

/** In-memory store for a single instance; expired keys are dropped lazily. */
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.map.get(key);
    if (entry?.expires !== undefined && entry.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async set<T>(key: string, value: T, ttlSeconds?: number): Promise<void> {
    this.map.set(key, { json: JSON.stringify(value), ...(ttlSeconds ? { expires: this.now() + ttlSeconds * 1000 } : {}) });
  }

  async setIfAbsent<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    for (const key of [...this.map.keys()]) if (key.startsWith(prefix) && this.map.delete(key)) n++;
    return n;
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    const value = (entry ? (JSON.parse(entry.json) as number) : 0) + by;
    const expires = entry ? entry.expires : ttlSeconds ? this.now() + ttlSeconds * 1000 : undefined;
    this.map.set(key, { json: JSON.stringify(value), ...(expires ? { expires } : {}) });
    return value;
  }

  async update<T>(key: string, change: (current: T | undefined) => T | undefined, ttlSeconds?: number): Promise<T | undefined> {
    const entry = this.live(key);
    const next = change(entry ? (JSON.parse(entry.json) as T) : undefined);
    if (next !== undefined) await this.set(key, next, ttlSeconds);
    return next;
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.map.keys()].filter((k) => k.startsWith(prefix) && this.live(k) !== undefined);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
