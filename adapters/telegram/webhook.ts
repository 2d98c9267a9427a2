/**
 * Webhook mode: a small HTTP server Telegram posts updates to. Requests without the right
 * secret header get 401 and are ignored; a body over 1 MB gets 413. Each update is handled
 * (its replies sent) before the 200 is sent; when handling fails the answer is 500, and while
 * another instance is still handling the same update it is 503, so Telegram delivers it again
 * either way (see delivery.ts: claims with short leases, done marks, replies sent once). A call
 * Telegram refused for good (a 4xx other than 429) is logged and answered 200: a redelivery
 * would meet the same refusal.
 * `GET /healthz` reports the store (200 when Redis is reachable or not used, 503 otherwise).
 * `stop()` closes the server to new requests and waits for the updates in flight.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Update } from "grammy/types";
import { logger } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { HotlineBot } from "./bot.ts";
import { logOutcome } from "./delivery.ts";
import { ALLOWED_UPDATES } from "./polling.ts";
import { SECRET_HEADER, verifySecret } from "./verify-secret.ts";

const MAX_BODY_BYTES = 1 << 20;

class BodyTooLarge extends Error {}

export interface WebhookOptions {
  secret: string;
  port: number;
  host?: string;
  /** The public URL to register with `setWebhook`; omit to skip registration (tests). */
  url?: string;
  store: KeyValueStore;
  /** The health check's answer (default: the store answers ping). */
  health?: () => Promise<{ ok: boolean }>;
}

export interface WebhookServer {
  server: Server;
  /** The port actually listened on (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

export async function startWebhook(bot: HotlineBot, options: WebhookOptions): Promise<WebhookServer> {
  await bot.init();
  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  const health = options.health ?? (async () => ({ ok: await options.store.ping() }));

  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      void health().then(
        (h) => res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h)),
        () => res.writeHead(503).end(),
      );
      return;
    }
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
    if (!accepting) {
      req.resume();
      res.writeHead(503, { "retry-after": "5" }).end(); // shutting down: Telegram tries again later
      return;
    }
    const task = readJson(req)
      .then(async (update) => {
        if (!isUpdate(update)) {
          res.writeHead(400).end();
          return;
        }
        const outcome = await bot.delivery.process(bot, update);
        logOutcome(update, outcome, "webhook");
        if (outcome === "done" || outcome === "duplicate" || outcome === "refused") res.writeHead(200).end();
        else if (outcome === "busy") res.writeHead(503, { "retry-after": "5" }).end();
        else res.writeHead(500).end();
      })
      .catch((err: unknown) => {
        if (res.headersSent) return;
        if (err instanceof BodyTooLarge) res.writeHead(413, { connection: "close" }).end();
        else res.writeHead(400).end();
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
      accepting = false;
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
        if (size - chunk.length <= MAX_BODY_BYTES) reject(new BodyTooLarge("body too large"));
        req.pause(); // answer 413, then the connection is closed
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return;
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
