/**
 * Sessions on the project's key-value store (memory, or Redis when REDIS_URL is set, so that
 * several instances can share them). One session per person, keyed by their Telegram user id:
 * the chosen language, the last safety level and a pending handoff offer. Never message text.
 *
 * Everything kept about a person lives under `personPrefix(userId)`, so /forget is one
 * `deletePrefix`. Empty sessions are not written at all.
 */
import { session, type StorageAdapter } from "grammy";
import type { KeyValueStore } from "../../src/index.ts";
import type { HotlineContext, SessionData } from "./context.ts";

/** Sessions expire after 90 days without a message. */
const SESSION_TTL_SECONDS = 90 * 24 * 3600;

export function personPrefix(userId: number | string): string {
  return `tg:u:${userId}:`;
}

export function sessionKey(userId: number | string): string {
  return `${personPrefix(userId)}session`;
}

/** grammY's storage interface on a KeyValueStore. */
export class KvSessionStorage implements StorageAdapter<SessionData> {
  constructor(private readonly store: KeyValueStore) {}

  read(key: string): Promise<SessionData | undefined> {
    return this.store.get<SessionData>(key);
  }

  async write(key: string, value: SessionData): Promise<void> {
    if (Object.values(value).every((v) => v === undefined)) await this.store.delete(key);
    else await this.store.set(key, value, SESSION_TTL_SECONDS);
  }

  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }
}

export function sessions(store: KeyValueStore) {
  return session<SessionData, HotlineContext>({
    initial: () => ({}),
    storage: new KvSessionStorage(store),
    getSessionKey: (ctx) => (ctx.from && !ctx.from.is_bot ? sessionKey(ctx.from.id) : undefined),
  });
}
