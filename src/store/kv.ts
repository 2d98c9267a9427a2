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
  /** Adds `by` to a counter and returns the new value. */
  increment(key: string, by?: number): Promise<number>;
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

  async increment(key: string, by = 1): Promise<number> {
    const value = ((await this.get<number>(key)) ?? 0) + by;
    const entry = this.live(key);
    this.map.set(key, { json: JSON.stringify(value), ...(entry?.expires ? { expires: entry.expires } : {}) });
    return value;
  }

  async close(): Promise<void> {}
}
