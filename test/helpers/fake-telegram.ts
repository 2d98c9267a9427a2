/**
 * A fake Telegram Bot API server on 127.0.0.1 for integration tests and the benchmark.
 *
 * The bot talks to it through `client.apiRoot`. It records every call, answers `getUpdates`
 * (long polling) from a queue the test fills, returns plausible `Message` objects for the send
 * methods, and can be told to fail the next calls of a method (429 with `retry_after`, 500).
 * Polls sent are kept (`polls`) so tests can answer them; chat members' statuses can be set for
 * `getChatMember`; multipart uploads (`sendDocument`) are decoded into `{ filename, content }`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { createBot, type BotOptions, type HotlineBot } from "../../adapters/telegram/bot.ts";
import type { BotCore } from "../../adapters/telegram/context.ts";
import type { BotDeps } from "../../adapters/telegram/deps.ts";
import type { Outcome } from "../../adapters/telegram/delivery.ts";
import { startPolling, type Polling } from "../../adapters/telegram/polling.ts";
import type { QuizEngine } from "../../src/quiz/index.ts";
import { MemoryStore, type KeyValueStore } from "../../src/store/kv.ts";
import { loadContacts } from "../../src/triage/contacts.ts";

export const BOT_ID = 7000001;
export const BOT_USERNAME = "hotline_test_bot";
export const TOKEN = "7000001:AAFakeTokenForTestsOnly_abcdefghij";

export const BOT_INFO = {
  id: BOT_ID,
  is_bot: true as const,
  first_name: "Hotline",
  username: BOT_USERNAME,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Order of arrival across all methods. */
  seq: number;
  /** True when this call was answered with an injected failure (or hung). */
  failed?: boolean;
  /** Date.now() on arrival. */
  at?: number;
}

/** A poll the bot sent, as the fake saw it. */
export interface SentPoll {
  pollId: string;
  chatId: number;
  messageId: number;
  question: string;
  options: string[];
  payload: Record<string, unknown>;
  stopped: boolean;
}

/** A file uploaded with multipart/form-data. */
export interface UploadedFile {
  filename: string;
  content: string;
}

interface Failure {
  status: number;
  body: Record<string, unknown>;
}

interface Waiter {
  resolve: (updates: Update[]) => void;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private server!: Server;
  private queue: Update[] = [];
  private waiters: Waiter[] = [];
  private failures = new Map<string, Failure[]>();
  private nextMessageId = 1000;
  private seq = 0;
  private listeners = new Set<() => void>();
  private nextPollId = 1;
  readonly polls: SentPoll[] = [];
  /** Chat member statuses for getChatMember, by `${chatId}:${userId}`; "member" otherwise. */
  private readonly members = new Map<string, string>();
  /** Sizes of the non-empty getUpdates replies, in order. */
  readonly batches: number[] = [];
  /** The last getUpdates request's parameters (to check `allowed_updates`). */
  lastGetUpdates: Record<string, unknown> | undefined;
  port = 0;

  static async start(): Promise<FakeTelegram> {
    const fake = new FakeTelegram();
    await fake.listen();
    return fake;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? "");
        const method = match?.[2] ?? "";
        let payload: Record<string, unknown> = {};
        try {
          const raw = Buffer.concat(chunks).toString("utf8");
          const boundary = /multipart\/form-data;\s*boundary=(.+)$/i.exec(req.headers["content-type"] ?? "")?.[1];
          if (boundary) payload = parseMultipart(raw, boundary);
          else if (raw) payload = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          payload = {};
        }
        const send = (status: number, body: unknown) => {
          if (res.destroyed) return;
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        };
        if (method === "getUpdates") {
          this.lastGetUpdates = payload;
          this.getUpdates(payload, (updates) => {
            if (updates.length > 0) this.batches.push(updates.length);
            send(200, { ok: true, result: updates });
          });
          req.on("close", () => undefined);
          return;
        }
        const failure = this.failures.get(method)?.shift();
        this.calls.push({ method, payload, seq: this.seq++, at: Date.now(), ...(failure ? { failed: true } : {}) });
        if (failure?.status === 0) {
          // a hang: never answered (the connection is closed by close())
        } else if (failure) {
          send(failure.status, failure.body);
        } else {
          send(200, { ok: true, result: this.result(method, payload) });
        }
        for (const l of this.listeners) l();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    return new Promise((resolve) => {
      this.server.listen(0, "127.0.0.1", () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private getUpdates(payload: Record<string, unknown>, reply: (u: Update[]) => void): void {
    const offset = Number(payload.offset ?? 0);
    const limit = Number(payload.limit ?? 100);
    this.queue = this.queue.filter((u) => u.update_id >= offset);
    if (this.queue.length > 0) {
      reply(this.queue.slice(0, limit));
      return;
    }
    const timeoutMs = Math.min(Number(payload.timeout ?? 0), 30) * 1000;
    const waiter: Waiter = {
      offset,
      limit,
      resolve: (u) => {
        clearTimeout(waiter.timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reply(u);
      },
      timer: setTimeout(() => waiter.resolve([]), timeoutMs),
    };
    this.waiters.push(waiter);
  }

  private result(method: string, payload: Record<string, unknown>): unknown {
    const chatId = payload.chat_id;
    const chat = { id: typeof chatId === "number" ? chatId : Number(chatId) || 0, type: Number(chatId) < 0 ? "supergroup" : "private" };
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "sendMessage":
      case "copyMessage": {
        const replyTo = (payload.reply_parameters as { message_id?: number } | undefined)?.message_id;
        return {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat,
          from: { id: BOT_ID, is_bot: true, first_name: "Hotline", username: BOT_USERNAME },
          text: String(payload.text ?? ""),
          ...(replyTo ? { reply_to_message: { message_id: replyTo, date: 0, chat } } : {}),
        };
      }
      case "sendPoll": {
        const options = ((payload.options as Array<string | { text: string }>) ?? []).map((o) => (typeof o === "string" ? o : o.text));
        const sent: SentPoll = { pollId: `poll-${this.port}-${this.nextPollId++}`, chatId: chat.id, messageId: this.nextMessageId++, question: String(payload.question ?? ""), options, payload, stopped: false };
        this.polls.push(sent);
        return { message_id: sent.messageId, date: Math.floor(Date.now() / 1000), chat, poll: this.pollObject(sent) };
      }
      case "stopPoll": {
        const sent = this.polls.find((p) => p.chatId === chat.id && p.messageId === Number(payload.message_id));
        if (!sent) return true;
        sent.stopped = true;
        return this.pollObject(sent);
      }
      case "getChatMember": {
        const status = this.members.get(`${chat.id}:${Number(payload.user_id)}`) ?? "member";
        return { status, user: { id: Number(payload.user_id), is_bot: false, first_name: `U${payload.user_id}` }, ...(status === "administrator" ? { can_be_edited: false } : {}) };
      }
      case "sendDocument":
        return {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat,
          document: { file_id: "doc", file_unique_id: "doc", file_name: (payload.document as UploadedFile | undefined)?.filename },
          ...(payload.caption ? { caption: String(payload.caption) } : {}),
        };
      case "editMessageText":
      case "editMessageReplyMarkup":
        return { message_id: Number(payload.message_id ?? 0), date: 0, chat, text: String(payload.text ?? "") };
      default:
        return true;
    }
  }

  private pollObject(p: SentPoll): Record<string, unknown> {
    return {
      id: p.pollId,
      question: p.question,
      options: p.options.map((text) => ({ text, voter_count: 0 })),
      total_voter_count: 0,
      is_closed: p.stopped,
      is_anonymous: p.payload.is_anonymous !== false,
      type: p.payload.type ?? "regular",
      allows_multiple_answers: false,
      ...(Array.isArray(p.payload.correct_option_ids) ? { correct_option_ids: p.payload.correct_option_ids } : {}),
    };
  }

  /** Sets a user's status in a chat for `getChatMember` ("creator", "administrator", "member"...). */
  setMember(chatId: number, userId: number, status: string): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /** Polls sent to a chat, in order. */
  pollsIn(chatId: number): SentPoll[] {
    return this.polls.filter((p) => p.chatId === chatId);
  }

  /** Queues updates for the bot's next `getUpdates`. */
  push(...updates: Update[]): void {
    this.queue.push(...updates);
    const waiting = this.waiters.slice();
    for (const w of waiting) {
      const ready = this.queue.filter((u) => u.update_id >= w.offset).slice(0, w.limit);
      if (ready.length > 0) w.resolve(ready);
    }
  }

  /** Makes the next `times` calls of `method` fail with this status and body. */
  fail(method: string, status: number, body: Record<string, unknown>, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ status, body });
    this.failures.set(method, list);
  }

  /** Makes the next `times` calls of `method` hang: no answer at all. */
  hang(method: string, times = 1): void {
    this.fail(method, 0, {}, times);
  }

  /** Drops the failures and hangs not yet used up (hung calls stay unanswered). */
  clearFaults(): void {
    this.failures.clear();
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages that reached a chat (injected failures left out), in order. */
  deliveredTo(chatId: number | string): ApiCall[] {
    return this.sentTo(chatId).filter((c) => !c.failed);
  }

  /** Messages sent to a chat, in order. */
  sentTo(chatId: number | string): ApiCall[] {
    return this.calls.filter((c) => c.method === "sendMessage" && String(c.payload.chat_id) === String(chatId));
  }

  /** Resolves when `predicate` holds (checked after each call); rejects after `ms`. */
  waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (predicate()) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error("FakeTelegram.waitFor timed out"));
      }, ms);
      this.listeners.add(listener);
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.polls.length = 0;
    this.failures.clear();
  }

  async close(): Promise<void> {
    for (const w of this.waiters.slice()) w.resolve([]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Decodes grammY's multipart/form-data: fields as strings (JSON values parsed), files by their attach:// field. */
function parseMultipart(raw: string, boundary: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const head = part.slice(0, split);
    const body = part.slice(split + 4).replace(/\r\n$/, "");
    const name = /name="([^"]+)"/i.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename=("?)([^"\r\n;]+)\1/i.exec(head)?.[2];
    if (filename !== undefined) files.set(name, { filename, content: body });
    else {
      try {
        fields[name] = /^[[{]/.test(body) ? JSON.parse(body) : body;
      } catch {
        fields[name] = body;
      }
    }
  }
  for (const [key, value] of Object.entries(fields)) {
    const attached = typeof value === "string" && value.startsWith("attach://") ? files.get(value.slice("attach://".length)) : undefined;
    if (attached) fields[key] = attached;
  }
  return fields;
}

/**
 * Update ids are unique in the whole test process, as Telegram's are for one bot: two
 * harnesses (two instances) sharing a store must not see each other's ids as duplicates.
 */
let nextUpdateId = 1;

/** Builders for updates. */
export class Updates {
  /** Moves the process-wide update ids on (a run on a shared Redis must not meet an earlier run's ids). */
  static startAt(id: number): void {
    nextUpdateId = Math.max(nextUpdateId, id);
  }

  private get updateId(): number {
    return nextUpdateId;
  }
  private set updateId(value: number) {
    nextUpdateId = value;
  }
  private messageId = 1;
  /** Display names by user id (first name; `U<id>` otherwise). */
  readonly names = new Map<number, string>();

  private user(userId: number, languageCode = "en") {
    return { id: userId, is_bot: false, first_name: this.names.get(userId) ?? `U${userId}`, language_code: languageCode };
  }

  /** A quiz answer: `poll_answer` carries the poll id and the user, no chat. */
  pollAnswer(userId: number, pollId: string, optionIds: number[]): Update {
    return { update_id: this.updateId++, poll_answer: { poll_id: pollId, user: this.user(userId), option_ids: optionIds, option_persistent_ids: optionIds.map(String) } } as unknown as Update;
  }

  private chat(chatId: number, userId: number) {
    return chatId < 0 ? { id: chatId, type: "supergroup" as const, title: "Migrants' group" } : { id: chatId, type: "private" as const, first_name: `U${userId}` };
  }

  message(userId: number, fields: Record<string, unknown>, options: { chatId?: number; lang?: string } = {}): Update {
    const chatId = options.chatId ?? userId;
    return {
      update_id: this.updateId++,
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat(chatId, userId),
        from: this.user(userId, options.lang),
        ...fields,
      },
    } as unknown as Update;
  }

  text(userId: number, text: string, options: { chatId?: number; lang?: string; replyToBot?: number } = {}): Update {
    const entities: Array<Record<string, unknown>> = [];
    const command = /^\/\w+(@\w+)?/.exec(text);
    if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
    for (const m of text.matchAll(/@\w+/g)) if (m.index! > 0 || !command) entities.push({ type: "mention", offset: m.index!, length: m[0].length });
    const chatId = options.chatId ?? userId;
    const reply = options.replyToBot
      ? { reply_to_message: { message_id: options.replyToBot, date: 0, chat: this.chat(chatId, userId), from: { id: BOT_ID, is_bot: true, first_name: "Hotline", username: BOT_USERNAME }, text: "…" } }
      : {};
    return this.message(userId, { text, ...(entities.length ? { entities } : {}), ...reply }, options);
  }

  edited(userId: number, text: string): Update {
    return {
      update_id: this.updateId++,
      edited_message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        edit_date: Math.floor(Date.now() / 1000),
        chat: this.chat(userId, userId),
        from: this.user(userId),
        text,
      },
    } as unknown as Update;
  }

  callback(userId: number, data: string, message: Record<string, unknown> = {}, options: { chatId?: number } = {}): Update {
    const chatId = options.chatId ?? userId;
    return {
      update_id: this.updateId++,
      callback_query: {
        id: `cb${this.updateId}`,
        from: this.user(userId),
        chat_instance: "ci",
        data,
        message: {
          message_id: 900,
          date: 0,
          chat: this.chat(chatId, userId),
          from: { id: BOT_ID, is_bot: true, first_name: "Hotline", username: BOT_USERNAME },
          text: "…",
          ...message,
        },
      },
    } as unknown as Update;
  }
}

/**
 * Checks that `html` is something Telegram's HTML parser accepts from us: only our tags, all
 * balanced, every `&` starting an entity, no stray `<` or `>`. Returns the problems found.
 */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-z]+)([^<>]*)>/g;
  let last = 0;
  for (const m of html.matchAll(tag)) {
    const between = html.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`stray angle bracket before ${m[0]}`);
    last = m.index! + m[0].length;
    const [, closing, name, attrs] = m;
    if (!["b", "i", "code", "blockquote", "a", "u", "s", "pre"].includes(name!)) problems.push(`unexpected tag <${name}>`);
    if (closing) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else {
      if (attrs && !/^( expandable| href="[^"]*")$/.test(attrs)) problems.push(`unexpected attributes in ${m[0]}`);
      stack.push(name!);
    }
  }
  if (/[<>]/.test(html.slice(last))) problems.push("stray angle bracket at the end");
  if (stack.length) problems.push(`unclosed tags: ${stack.join(",")}`);
  for (const m of html.matchAll(/&/g)) if (!/^&(amp|lt|gt|quot);/.test(html.slice(m.index!, m.index! + 6))) problems.push("raw &");
  return problems;
}

export interface HarnessOptions {
  core: BotCore;
  store?: KeyValueStore;
  staffChatId?: string;
  /** Turns quizzes on (on `store`); running quizzes are resumed at start, timers stopped at stop. */
  quiz?: QuizEngine;
  bot?: Partial<BotOptions>;
}

/**
 * The real bot (polling, `adapters/telegram/polling.ts`) against a fresh fake Bot API server.
 * `deliver()` queues updates and resolves once polling is finished with each of them: handled,
 * refused for good or given up, after any further attempts of a failed update (not when its
 * first attempt ends, which left a retry racing with the test's checks).
 */
export class TelegramHarness {
  readonly updates = new Updates();
  /** Final outcomes by update id. */
  readonly outcomes = new Map<number, Outcome>();
  private readonly pending = new Map<number, () => void>();

  private constructor(
    readonly fake: FakeTelegram,
    readonly bot: HotlineBot,
    readonly deps: BotDeps,
    private polling?: Polling,
  ) {}

  static async start(options: HarnessOptions): Promise<TelegramHarness> {
    const fake = await FakeTelegram.start();
    const deps: BotDeps = {
      core: options.core,
      store: options.store ?? new MemoryStore(),
      caseSecret: "test-case-secret-0123456789",
      contacts: loadContacts(),
      ...(options.staffChatId ? { staffChatId: options.staffChatId } : {}),
      ...(options.quiz ? { quiz: options.quiz } : {}),
    };
    const bot = createBot(deps, { token: TOKEN, apiRoot: fake.apiRoot, botInfo: BOT_INFO, ...options.bot });
    const harness = new TelegramHarness(fake, bot, deps);
    await bot.quiz?.resume();
    harness.polling = await startPolling(bot, { timeout: 1, onSettled: (id, outcome) => harness.settled(id, outcome) });
    return harness;
  }

  private settled(updateId: number, outcome: Outcome): void {
    this.outcomes.set(updateId, outcome);
    this.pending.get(updateId)?.();
    this.pending.delete(updateId);
  }

  /** Queues the updates and waits until each has been handled. */
  async deliver(...updates: Update[]): Promise<void> {
    const done = updates.map(
      (u) =>
        new Promise<void>((resolve) => {
          if (this.outcomes.has(u.update_id)) resolve();
          else this.pending.set(u.update_id, resolve);
        }),
    );
    this.fake.push(...updates);
    await Promise.all(done);
  }

  /** The HTML texts sent to a chat since the last reset. */
  texts(chatId: number | string): string[] {
    return this.fake.sentTo(chatId).map((c) => String(c.payload.text));
  }

  async stop(): Promise<void> {
    await this.polling?.stop();
    await this.bot.quiz?.dispose();
    await this.fake.close();
  }
}
