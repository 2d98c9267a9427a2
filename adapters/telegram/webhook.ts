/**
 * Webhook mode: a small HTTP server Telegram posts updates to. Requests without the right
 * secret header get 401 and are ignored. Each update is handled before the 200 is sent, so a
 * crash mid-update makes Telegram deliver it again; `update_id`s already handled are skipped
 * (shared through the store, so several instances can sit behind one webhook).
 * `stop()` closes the server to new requests and waits for the updates in flight.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import { logger } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { HotlineContext } from "./context.ts";
import { ALLOWED_UPDATES } from "./polling.ts";
import { SECRET_HEADER, verifySecret } from "./verify-secret.ts";

const MAX_BODY_BYTES = 1 << 20;
/** Telegram retries an update for about a day; remembering ids for 2 h covers real retries. */
const SEEN_TTL_SECONDS = 2 * 3600;
const CLAIM_TTL_SECONDS = 60;

export interface WebhookOptions {
  secret: string;
  port: number;
  host?: string;
  /** The public URL to register with `setWebhook`; omit to skip registration (tests). */
  url?: string;
  store: KeyValueStore;
}

export interface WebhookServer {
  server: Server;
  /** The port actually listened on (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

export async function startWebhook(bot: Bot<HotlineContext>, options: WebhookOptions): Promise<WebhookServer> {
  await bot.init();
  const inFlight = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    if (!verifySecret(req.headers[SECRET_HEADER], options.secret)) {
      logger().warn({ event: "webhook_unauthorized" }, "webhook request without the right secret");
      req.resume();
      res.writeHead(401, { "content-type": "application/json" }).end('"unauthorized"');
      return;
    }
    const task = readJson(req)
      .then(async (update) => {
        if (!isUpdate(update)) {
          res.writeHead(400).end();
          return;
        }
        const seen = `tg:update:${update.update_id}`;
        // Claimed briefly while handling (a crashed instance's claim lapses), then remembered.
        if (await options.store.setIfAbsent(seen, "handling", CLAIM_TTL_SECONDS)) {
          await bot.handleUpdate(update).catch(() => undefined); // errors went through bot.catch
          await options.store.set(seen, "done", SEEN_TTL_SECONDS);
        }
        res.writeHead(200).end();
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  if (options.url) {
    await bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: ALLOWED_UPDATES, drop_pending_updates: false });
  }
  logger().info({ event: "webhook_listening", port }, "webhook server listening");

  return {
    server,
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (err) {
        reject(err);
      }
    });
    req.on("error", reject);
  });
}

function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && typeof (value as { update_id?: unknown }).update_id === "number";
}
