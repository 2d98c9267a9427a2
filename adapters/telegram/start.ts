/**
 * Starts the Telegram bot for `npm start`: sessions in memory or on Redis (REDIS_URL), long
 * polling by default, webhook mode when TELEGRAM_WEBHOOK_URL is set. The returned runner's
 * `stop()` stops taking updates, finishes those in flight and closes connections.
 */
import { join } from "node:path";
import type { Assistant } from "../../src/index.ts";
import type { Config } from "../../src/index.ts";
import { logger } from "../../src/index.ts";
import { createStore } from "../../src/index.ts";
import { RedisStore } from "../../src/index.ts";
import { DEFAULT_CONTACTS_FILE, loadContacts } from "../../src/index.ts";
import { caseIdSecret } from "../../src/index.ts";
import { LANGUAGES, localeOf } from "../../src/index.ts";
import { loadBank, QuizEngine } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { Runner } from "../runner.ts";
import { COMMANDS, createBot } from "./bot.ts";
import { startPolling } from "./polling.ts";
import { startWebhook } from "./webhook.ts";

export async function startTelegram({ config, assistant }: { config: Config; assistant: Assistant }): Promise<Runner> {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const store = createStore(config);
  const bot = createBot(
    {
      core: assistant,
      store,
      caseSecret: caseIdSecret(config.dataDir, config.CASE_ID_SECRET),
      contacts: loadContacts(config.CONTACTS_FILE ?? DEFAULT_CONTACTS_FILE),
      ...quizEngine(config, store),
      ...(config.TELEGRAM_STAFF_CHAT_ID ? { staffChatId: config.TELEGRAM_STAFF_CHAT_ID } : {}),
    },
    {
      token: config.TELEGRAM_BOT_TOKEN,
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, "") } : {}),
      ...(store instanceof RedisStore ? { redis: store.redis } : {}),
    },
  );
  await bot.init();
  await setCommands(bot, assistant);
  await bot.quiz?.resume().catch((err: unknown) => logger().error({ event: "quiz_resume_failed", err: (err as Error).message }, "could not resume running quizzes"));

  const transport = config.TELEGRAM_WEBHOOK_URL
    ? await startWebhook(bot, { secret: config.TELEGRAM_WEBHOOK_SECRET!, port: config.TELEGRAM_WEBHOOK_PORT, url: config.TELEGRAM_WEBHOOK_URL, store })
    : await startPolling(bot);
  const mode = config.TELEGRAM_WEBHOOK_URL ? "webhook" : "polling";
  logger().info({ event: "telegram_started", mode, bot: bot.botInfo.username }, "Telegram bot started");
  return {
    name: "telegram",
    async stop() {
      await transport.stop(); // stop taking updates, finish the ones in flight
      await bot.quiz?.dispose();
      await store.close();
    },
  };
}

/** Quizzes on the bank in KNOWLEDGE_DIR/quiz, state in the session store; off (logged) if the bank does not load. */
function quizEngine(config: Config, store: KeyValueStore): { quiz?: QuizEngine } {
  try {
    return { quiz: new QuizEngine({ bank: loadBank(join(config.knowledgeDir, "quiz")), store }) };
  } catch (err) {
    logger().error({ event: "quiz_bank_failed", err: (err as Error).message.slice(0, 500) }, "quiz bank did not load; /quiz is off");
    return {};
  }
}

/** The command menu, in English by default and in each language for apps set to it. */
async function setCommands(bot: ReturnType<typeof createBot>, assistant: Assistant): Promise<void> {
  try {
    for (const lang of LANGUAGES) {
      const commands = COMMANDS.map((command) => ({ command, description: assistant.t(localeOf(lang), `telegram.commands.${command}`) }));
      await bot.api.setMyCommands(commands, lang === "en" ? {} : { language_code: lang });
    }
  } catch (err) {
    logger().warn({ event: "set_commands_failed", err: (err as Error).message }, "could not set the command menu");
  }
}
