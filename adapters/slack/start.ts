/**
 * Starts the Slack adapter: HTTP receiver on SLACK_PORT, or Socket Mode when SLACK_APP_TOKEN is
 * set; the store (Redis when REDIS_URL is set) for de-duplication and feedback counts.
 * `stop()` stops taking events, finishes the answers in flight and closes the store.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { webApi } from "@slack/bolt";
import { join } from "node:path";
import type { App } from "../../src/index.ts";
import type { Assistant } from "../../src/index.ts";
import type { Config } from "../../src/index.ts";
import { logger } from "../../src/index.ts";
import { createStore } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { Runner } from "../runner.ts";
import { createSlackApp, type SlackApp } from "./app.ts";
import { startCaseRelay } from "./features/cases.ts";
import { boltLogger } from "./bolt-logger.ts";
import type { CaseIdFn } from "./case-id.ts";
import { createReceiver, type ReceiverKind } from "./receivers.ts";
import type { RetryOptions } from "./web-api.ts";
import type { SlackQuizOptions } from "./features/quiz.ts";
import { loadBank } from "../../src/index.ts";
import { QuizEngine } from "../../src/index.ts";

export interface StartSlackDeps {
  config: Config;
  assistant: Assistant;
  /** Defaults to `createStore(config)` (closed on stop); a passed store is left open. */
  store?: KeyValueStore;
  /** Overrides SLACK_PORT (0 picks a free port, for tests and the benchmark). */
  port?: number;
  caseId?: CaseIdFn;
  retry?: RetryOptions;
  retryConfig?: webApi.RetryOptions;
  concurrency?: number;
  /** Quiz settings; by default the bank in KNOWLEDGE_DIR/quiz with 30-second questions. `false` turns the quiz off. */
  quiz?: Partial<SlackQuizOptions> | false;
  /**
   * The app from `createApp(config)`: its store, case ids and quiz engine are used (and the
   * store is left open for the app to close).
   */
  app?: Pick<App, "store" | "caseIds" | "quiz">;
}

export interface SlackRunner extends Runner, SlackApp {
  mode: ReceiverKind;
  /** The HTTP port actually listened on (HTTP mode). */
  port?: number;
}

export async function startSlack(deps: StartSlackDeps): Promise<SlackRunner> {
  const { config, assistant } = deps;
  if (!config.SLACK_BOT_TOKEN) throw new Error("SLACK_BOT_TOKEN is not set");
  const log = logger().child({ adapter: "slack" });
  const store = deps.store ?? deps.app?.store ?? createStore(config);
  const ownsStore = !deps.store && !deps.app;
  const appCaseId: CaseIdFn | undefined = deps.app
    ? ({ team, channel, thread }) => deps.app!.caseIds.caseIdFor("slack", `${team ?? ""}:${channel}:${thread}`)
    : undefined;
  const caseId = deps.caseId ?? appCaseId;
  const { kind, receiver } = createReceiver(config, boltLogger(log));
  let quiz: SlackQuizOptions | undefined;
  if (deps.quiz !== false) {
    try {
      const engine = deps.quiz?.engine ?? deps.app?.quiz?.engine ?? new QuizEngine({ bank: loadBank(join(config.knowledgeDir, "quiz")), store });
      quiz = { ...deps.quiz, engine };
    } catch (err) {
      log.warn({ event: "slack_quiz_disabled", err: (err as Error).name }, "quiz bank could not be loaded; the Slack quiz is off");
    }
  }
  const slack = createSlackApp({
    token: config.SLACK_BOT_TOKEN,
    receiver,
    config,
    assistant,
    store,
    log,
    ...(caseId ? { caseId } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
    ...(deps.retryConfig ? { retryConfig: deps.retryConfig } : {}),
    ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
    ...(quiz ? { quiz } : {}),
  });

  let port: number | undefined;
  if (kind === "http") {
    const server = (await slack.app.start(deps.port ?? config.SLACK_PORT)) as Server;
    port = (server.address() as AddressInfo).port;
  } else {
    await slack.app.start();
  }
  await slack.quiz?.resume().catch((err: unknown) => log.warn({ event: "slack_quiz_resume", err: (err as Error).name }, "could not re-arm quiz timers"));
  // Cases opened on Telegram (this process or another on the same Redis) go to their threads.
  const cases = startCaseRelay(slack.deps, () => slack.app.client);
  log.info({ event: "slack_started", mode: kind, ...(port ? { port } : {}), redis: Boolean(config.REDIS_URL) }, "Slack adapter started");

  let stopped: Promise<void> | undefined;
  return {
    name: "slack",
    mode: kind,
    ...(port !== undefined ? { port } : {}),
    ...slack,
    stop() {
      stopped ??= (async () => {
        await slack.quiz?.stop();
        await cases?.stop();
        await slack.app.stop().catch((err: unknown) => log.warn({ event: "slack_stop", err: (err as Error).name }, "receiver stop failed"));
        await slack.deps.queue.drain();
        if (ownsStore) await store.close();
        log.info({ event: "slack_stopped" }, "Slack adapter stopped");
      })();
      return stopped;
    },
  };
}
