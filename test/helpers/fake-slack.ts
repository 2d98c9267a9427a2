/**
 * A fake Slack for tests and the benchmark, on 127.0.0.1:
 * - the Web API (`/api/<method>`): records every call, answers like Slack, and can be told to
 *   fail the next calls of a method (`ratelimited` as HTTP 429 or as `ok: false`);
 * - response URLs (`/respond/<id>`) that record what `respond()` sends;
 * - helpers that build and sign Events API, slash command and interactivity requests the way
 *   Slack does (`x-slack-signature`, `x-slack-request-timestamp`, `x-slack-retry-num`).
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** False when this call was answered with an injected fault. */
  ok: boolean;
  /** `performance.now()` when the call arrived. */
  at: number;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
}

export interface ResponseUrlCall {
  id: string;
  body: Record<string, unknown>;
}

export type Fault = { kind: "http429"; retryAfter: number } | { kind: "error"; error: string } | { kind: "hang" };

export const BOT_USER_ID = "UBOT0001";
export const TEAM_ID = "T0TEAM01";

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlCall[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly waiters = new Set<() => void>();
  private server?: Server;
  private base = "";
  private ts = 1_700_000_000_000_000;
  /** What `apps.connections.open` hands out (Socket Mode tests). */
  socketUrl = "ws://127.0.0.1:1/";

  /** The Web API base, for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${encodeURIComponent(id)}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Makes the next call(s) of `method` fail, in order. */
  failNext(method: string, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  /** Successful calls of a method, optionally filtered. */
  successful(method: string, where: (args: Record<string, unknown>) => boolean = () => true): ApiCall[] {
    return this.calls.filter((c) => c.method === method && c.ok && where(c.args));
  }

  posts(where: (args: Record<string, unknown>) => boolean = () => true): ApiCall[] {
    return this.successful("chat.postMessage", where);
  }

  /** Resolves once `check()` is true (re-checked after every request); rejects after `ms`. */
  async waitFor<T>(check: () => T | undefined | false, ms = 15_000, what = "condition"): Promise<T> {
    const first = check();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(poll);
        reject(new Error(`FakeSlack: timed out waiting for ${what}`));
      }, ms);
      const poll = () => {
        const value = check();
        if (value) {
          clearTimeout(timer);
          this.waiters.delete(poll);
          resolve(value);
        }
      };
      this.waiters.add(poll);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith("/respond/")) {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      this.responses.push({ id: decodeURIComponent(url.pathname.slice("/respond/".length)), body });
      json(res, 200, { ok: true });
    } else if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const args = parseArgs(raw, req.headers["content-type"] ?? "");
      const fault = this.faults.get(method)?.shift();
      if (fault) {
        this.calls.push({ method, args, ok: false, at: performance.now() });
        if (fault.kind === "hang") return; // never answered
        if (fault.kind === "http429") {
          res.writeHead(429, { "content-type": "application/json", "retry-after": String(fault.retryAfter) });
          res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
        } else json(res, 200, { ok: false, error: fault.error });
      } else {
        const response = this.answer(method, args);
        this.calls.push({ method, args, ok: true, at: performance.now(), response });
        json(res, 200, response);
      }
    } else json(res, 404, { ok: false, error: "unknown_path" });
    for (const poll of [...this.waiters]) poll();
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://fake.slack.com/", team: "Fake", user: "hotline", team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: "BBOT0001" };
      case "chat.postMessage": {
        const ts = this.nextTs();
        return { ok: true, channel: args.channel, ts, message: { type: "message", ts, text: args.text, bot_id: "BBOT0001" } };
      }
      case "apps.connections.open":
        return { ok: true, url: this.socketUrl };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      default:
        return { ok: true };
    }
  }

  private nextTs(): string {
    this.ts += 1;
    const s = String(this.ts);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Web API arguments: form-encoded (objects JSON-encoded, as the client sends them) or JSON. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (raw === "") return {};
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = (v.startsWith("[") || v.startsWith("{")) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests as Slack sends them

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  /** Sign with this secret instead (a bad signature). */
  wrongSecret?: string;
}

export function signHeaders(body: string, options: SignOptions): Record<string, string> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const sig = createHmac("sha256", options.wrongSecret ?? options.secret).update(`v0:${ts}:${body}`).digest("hex");
  return {
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": `v0=${sig}`,
    ...(options.retryNum !== undefined ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" } : {}),
  };
}

export interface SentRequest {
  status: number;
  body: string;
}

/** POSTs a signed request (JSON for events, form for commands and interactivity). */
export async function postSigned(url: string, payload: SlackPayload, options: SignOptions): Promise<SentRequest> {
  const { body, contentType } = payload;
  const res = await fetch(url, { method: "POST", headers: { "content-type": contentType, ...signHeaders(body, options) }, body });
  return { status: res.status, body: await res.text() };
}

export interface SlackPayload {
  body: string;
  contentType: string;
}

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${counter}`;
}

export function eventPayload(event: Record<string, unknown>, eventId: string = uniqueId("Ev")): SlackPayload {
  return {
    contentType: "application/json",
    body: JSON.stringify({
      token: "legacy",
      team_id: TEAM_ID,
      api_app_id: "A0APP",
      event: { event_ts: event.ts, ...event },
      type: "event_callback",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
    }),
  };
}

export function mentionEvent(args: { channel: string; ts: string; text: string; user?: string; thread_ts?: string }): Record<string, unknown> {
  return { type: "app_mention", user: args.user ?? "U0STAFF1", channel: args.channel, ts: args.ts, text: `<@${BOT_USER_ID}> ${args.text}`, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) };
}

export function dmEvent(args: { channel: string; ts: string; text: string; user?: string }): Record<string, unknown> {
  return { type: "message", channel_type: "im", user: args.user ?? "U0STAFF1", channel: args.channel, ts: args.ts, text: args.text };
}

export function commandPayload(args: { command: string; text: string; responseUrl: string; channel?: string; user?: string }): SlackPayload {
  const form = new URLSearchParams({
    token: "legacy",
    team_id: TEAM_ID,
    team_domain: "fake",
    channel_id: args.channel ?? "C0STAFF1",
    channel_name: "general",
    user_id: args.user ?? "U0STAFF1",
    user_name: "staff",
    command: args.command,
    text: args.text,
    api_app_id: "A0APP",
    response_url: args.responseUrl,
    trigger_id: uniqueId("trig."),
  });
  return { contentType: "application/x-www-form-urlencoded", body: form.toString() };
}

export function buttonPayload(args: {
  actionId: string;
  value: string;
  responseUrl: string;
  channel?: string;
  user?: string;
  messageTs?: string;
  ephemeral?: boolean;
}): SlackPayload {
  const channel = args.channel ?? "C0STAFF1";
  const payload = {
    type: "block_actions",
    team: { id: TEAM_ID, domain: "fake" },
    user: { id: args.user ?? "U0STAFF1", username: "staff", team_id: TEAM_ID },
    api_app_id: "A0APP",
    token: "legacy",
    trigger_id: uniqueId("trig."),
    channel: { id: channel, name: "general" },
    container: { type: "message", message_ts: args.messageTs ?? "1700000000.000100", channel_id: channel, is_ephemeral: args.ephemeral ?? false },
    response_url: args.responseUrl,
    actions: [{ type: "button", action_id: args.actionId, block_id: "b", value: args.value, action_ts: String(Date.now() / 1000) }],
  };
  return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

/** Every text in a list of blocks, joined (for content assertions). */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "text" && typeof x === "string") out.push(x);
        else walk(x);
      }
    }
  };
  walk(blocks);
  return out.join("\n");
}

/** Buttons in a list of blocks. */
export function buttons(blocks: unknown): Array<{ action_id: string; value: string; text: string }> {
  const list = Array.isArray(blocks) ? blocks : [];
  return list
    .filter((b: { type?: string }) => b.type === "actions")
    .flatMap((b: { elements: Array<{ action_id: string; value: string; text: { text: string } }> }) =>
      b.elements.map((e) => ({ action_id: e.action_id, value: e.value, text: e.text.text })),
    );
}
