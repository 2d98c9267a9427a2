/**
 * Builds the Telegram bot: a grammY `Bot` with the API transformers (auto-retry) and the
 * middleware in order, one composer per feature. Starting it (polling or webhook) is
 * `start.ts`'s job, so tests and the benchmark drive exactly this bot.
 *
 *   observe → idempotent sends → sequentialize per chat → one update's turn → audience (groups) → session →
 *   locale → buttons, handoff → /forget → rate limit → features (commands, quiz, ask, unhandled)
 *
 * Errors are not swallowed here: `handleUpdate` rejects and `delivery.ts` decides on redelivery.
 */
import { sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, type BotConfig } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Redis } from "ioredis";
import { logger } from "../../src/index.ts";
import type { HotlineContext } from "./context.ts";
import type { BotDeps } from "./deps.ts";
import { askFeature } from "./features/ask.ts";
import { conversationFeature } from "./features/conversation.ts";
import { forgetFeature } from "./features/forget.ts";
import { handoffFeature } from "./features/handoff.ts";
import { helpFeature } from "./features/help.ts";
import { hotlineFeature } from "./features/hotline.ts";
import { languageFeature } from "./features/language.ts";
import { sourcesButtonFeature } from "./features/sources-button.ts";
import { sourcesFeature } from "./features/sources.ts";
import { unhandledFeature } from "./features/unhandled.ts";
import { quizFeature, TelegramQuiz, type QuizTimers } from "./features/quiz.ts";
import { welcomeFeature } from "./features/welcome.ts";
import { audience } from "./middleware/audience.ts";
import { locale } from "./middleware/locale.ts";
import { observe, observeStart, type UpdateObserver } from "./middleware/observe.ts";
import { DEFAULT_RATE_LIMIT, rateLimit, type RateLimitOptions } from "./middleware/rate-limit.ts";
import { sessions } from "./session.ts";
import { takeTurn } from "./middleware/turn.ts";
import { Delivery, type DeliveryOptions } from "./delivery.ts";
import { boundedRetry, type ApiRetryOptions } from "./retry.ts";

export interface BotOptions {
  token: string;
  /** A self-hosted Bot API server (TELEGRAM_API_ROOT) or a fake one in tests. */
  apiRoot?: string;
  /** Skip `getMe` at start-up (tests, benchmark). */
  botInfo?: UserFromGetMe;
  rateLimit?: Partial<RateLimitOptions>;
  /** Ignored: the rate limiter keeps its counters in `deps.store` (kept for older callers). */
  redis?: Redis;
  /** Retries after the first attempt for 429, 5xx and network errors (default 2). */
  maxRetryAttempts?: number;
  /** Timeouts and retries of every Bot API call (see retry.ts). */
  apiRetry?: Partial<ApiRetryOptions>;
  /** Claims, leases and per-chat locks (see delivery.ts). */
  delivery?: DeliveryOptions;
  observer?: UpdateObserver;
  /** Quiz timers and clock (tests inject fakes); real timers by default. */
  quizTimers?: QuizTimers;
  quizClock?: () => number;
}

/** The bot, with its quiz runner when quizzes are on (`resume()` after start, `dispose()` on stop). */
export type HotlineBot = Bot<HotlineContext> & { readonly quiz?: TelegramQuiz; readonly delivery: Delivery };

/** The commands shown in Telegram's menu (set with `setMyCommands` at start-up). */
export const COMMANDS = ["start", "help", "check", "language", "hotline", "sources", "quiz", "forget"] as const;

export function createBot(deps: BotDeps, options: BotOptions): HotlineBot {
  const config: BotConfig<HotlineContext> = {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
  };
  const bot = new Bot<HotlineContext>(options.token, config);
  bot.api.config.use(
    boundedRetry({ ...(options.maxRetryAttempts !== undefined ? { attempts: options.maxRetryAttempts + 1 } : {}), ...options.apiRetry }),
  );
  const delivery = new Delivery(deps.store, options.delivery);

  bot.use(observe(options.observer));
  // A redelivered update does not send again what already went out for it.
  bot.use((ctx, next) => {
    ctx.api.config.use(delivery.idempotentSends(ctx.update.update_id));
    return next();
  });
  bot.use(sequentialize(chatAndUser));
  bot.use(takeTurn());
  if (options.observer?.started) bot.use(observeStart(options.observer));
  bot.use(audience());
  bot.use(sessions(deps.store));
  bot.use(locale(deps.core));

  // Button presses and staff relays first: they are not questions.
  bot.use(languageFeature(deps.core));
  bot.use(sourcesButtonFeature(deps));
  bot.use(handoffFeature(deps));
  bot.use(forgetFeature(deps)); // before the rate limit: /forget always works
  bot.use(conversationFeature(deps));
  bot.use(rateLimit(deps, { ...DEFAULT_RATE_LIMIT, ...options.rateLimit }));
  bot.use(welcomeFeature());
  bot.use(helpFeature());
  bot.use(hotlineFeature(deps));
  bot.use(sourcesFeature(deps));
  const quiz = deps.quiz
    ? new TelegramQuiz(bot.api, {
        engine: deps.quiz,
        store: deps.store,
        core: deps.core,
        ...(options.quizTimers ? { timers: options.quizTimers } : {}),
        ...(options.quizClock ? { clock: options.quizClock } : {}),
      })
    : undefined;
  bot.use(quizFeature(quiz));
  bot.on("message:text").filter((ctx) => !ctx.message.text.startsWith("/"), askFeature(deps));
  bot.use(unhandledFeature(deps));
  bot.callbackQuery(/.*/, (ctx) => ctx.answerCallbackQuery()); // stale buttons: stop the spinner

  bot.catch((err) => logError(err.error, err.ctx.update));
  return Object.assign(bot, { quiz, delivery });
}

/** Updates of one chat (and of one person across chats) are handled in order. */
function chatAndUser(ctx: HotlineContext): string[] {
  const keys: string[] = [];
  if (ctx.chat) keys.push(`c${ctx.chat.id}`);
  const user = ctx.from ?? ctx.pollAnswer?.user; // grammY's ctx.from does not cover poll answers
  if (user) keys.push(`u${user.id}`);
  return keys;
}

/** Errors are logged by kind, never with message text or ids, and never stop the bot. */
export function logError(error: unknown, update?: object): void {
  const kind = update ? Object.keys(update).find((k) => k !== "update_id") : undefined;
  const update_id = (update as { update_id?: number } | undefined)?.update_id;
  if (error instanceof GrammyError) {
    logger().error({ event: "telegram_api_error", update_id, method: error.method, code: error.error_code, description: error.description, kind }, "Telegram API error");
  } else if (error instanceof HttpError) {
    const reason = (error.error as Error | undefined)?.message?.slice(0, 200) ?? error.message.slice(0, 200);
    logger().error({ event: "telegram_network_error", update_id, reason, kind }, "could not reach Telegram");
  } else {
    const err = error instanceof Error ? { name: error.name, message: error.message.slice(0, 200) } : { name: typeof error };
    logger().error({ event: "update_failed", update_id, kind, err }, "update failed");
  }
}
