/** A real bot in webhook mode against a fake Bot API, and a stand-in for Telegram posting to it. */
import type { Update } from "grammy/types";
import { createBot, type BotOptions, type HotlineBot } from "../../adapters/telegram/bot.ts";
import type { BotCore } from "../../adapters/telegram/context.ts";
import { startWebhook, type WebhookServer } from "../../adapters/telegram/webhook.ts";
import type { KeyValueStore } from "../../src/store/kv.ts";
import { loadContacts } from "../../src/triage/contacts.ts";
import { BOT_INFO, TOKEN } from "./fake-telegram.ts";

export const WEBHOOK_SECRET = "webhook-secret-for-tests";

export interface WebhookBot {
  bot: HotlineBot;
  server: WebhookServer;
  url: string;
  /** Posts one update as Telegram would; resolves with the HTTP status (0: connection failed). */
  post(update: Update): Promise<number>;
  stop(): Promise<void>;
}

/** Fast failure settings so fault tests stay within seconds. */
export const FAST_API: BotOptions["apiRetry"] = { attempts: 3, timeoutMs: 300, backoffMs: 20, maxRetryAfterSeconds: 1 };

export async function startWebhookBot(options: { core: BotCore; store: KeyValueStore; apiRoot: string; bot?: Partial<BotOptions>; health?: () => Promise<{ ok: boolean }> }): Promise<WebhookBot> {
  const bot = createBot(
    { core: options.core, store: options.store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts() },
    { token: TOKEN, apiRoot: options.apiRoot, botInfo: BOT_INFO, apiRetry: FAST_API, ...options.bot },
  );
  const server = await startWebhook(bot, { secret: WEBHOOK_SECRET, port: 0, host: "127.0.0.1", store: options.store, ...(options.health ? { health: options.health } : {}) });
  const url = `http://127.0.0.1:${server.port}/`;
  return {
    bot,
    server,
    url,
    post: (update) => postUpdate(url, update),
    async stop() {
      await server.stop();
    },
  };
}

export async function postUpdate(url: string, update: Update | string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: typeof update === "string" ? update : JSON.stringify(update),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return 0;
  }
}

/** Like Telegram: posts until the bot answers 200 (bounded), pausing between attempts. */
export async function deliverUntilOk(post: (u: Update) => Promise<number>, update: Update, attempts = 20, pauseMs = 50): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const status = await post(update);
    statuses.push(status);
    if (status === 200) return statuses;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return statuses;
}
