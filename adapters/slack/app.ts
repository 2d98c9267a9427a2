/**
 * The Bolt app with every Slack feature registered. Knows nothing about how events arrive
 * (see `receivers.ts`): tests pass a stub receiver and call `app.processEvent` directly.
 */
import { App, type Receiver, type webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Assistant } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import { boltLogger } from "./bolt-logger.ts";
import { caseIdFactory, type CaseIdFn } from "./case-id.ts";
import type { SlackDeps, SlackSettings } from "./deps.ts";
import { registerAskCommand } from "./features/ask-command.ts";
import { registerCheckIn } from "./features/check-in.ts";
import { registerCases } from "./features/cases.ts";
import { registerDirectMessage } from "./features/direct-message.ts";
import { registerErrors } from "./features/errors.ts";
import { registerFeedback } from "./features/feedback.ts";
import { registerMention } from "./features/mention.ts";
import { registerShare } from "./features/share.ts";
import { registerShowPassage } from "./features/show-passage.ts";
import { registerThreadFollowUps } from "./features/thread.ts";
import { SlackQuiz, type SlackQuizOptions } from "./features/quiz.ts";
import { dedupeEvents } from "./middleware/dedupe.ts";
import { WorkQueue } from "./queue.ts";
import { apiUrl } from "./receivers.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./web-api.ts";

export interface SlackAppOptions {
  token: string;
  receiver: Receiver;
  config: SlackSettings & { SLACK_API_URL?: string | undefined; CASE_ID_SECRET?: string | undefined; dataDir: string };
  assistant: Assistant;
  store: KeyValueStore;
  log: Logger;
  /** Pseudonymous case ids; defaults to an HMAC with CASE_ID_SECRET. */
  caseId?: CaseIdFn;
  /** Retries of `ratelimited` platform errors. */
  retry?: RetryOptions;
  /** The Web API client's own retry policy (HTTP 429 and network errors). */
  retryConfig?: webApi.RetryOptions;
  /** Answers composed at once; the rest wait (acknowledgements never do). */
  concurrency?: number;
  /** The team quiz (SLACK_QUIZ_COMMAND); left out when absent. */
  quiz?: SlackQuizOptions;
}

export interface SlackApp {
  app: App;
  deps: SlackDeps;
  quiz?: SlackQuiz;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, log } = options;
  const app = new App({
    token: options.token,
    receiver: options.receiver,
    logger: boltLogger(log),
    convoStore: false,
    ignoreSelf: true,
    clientOptions: {
      timeout: 10_000, // a hung Web API call fails after 10 s instead of never
      ...(config.SLACK_API_URL ? { slackApiUrl: apiUrl(config.SLACK_API_URL) } : {}),
      ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
    },
  });
  const deps: SlackDeps = {
    config,
    assistant: options.assistant,
    store: options.store,
    queue: new WorkQueue(options.concurrency ?? 2),
    log,
    retry: options.retry ?? DEFAULT_RETRY,
    caseId: options.caseId ?? caseIdFactory(config),
  };

  registerErrors(app, deps);
  // Every delivery is in flight until its listeners finish (graceful stop waits for it).
  app.use(async ({ next }) => deps.queue.track(next()));
  app.use(dedupeEvents(deps));
  registerCases(app, deps);
  registerMention(app, deps);
  registerDirectMessage(app, deps);
  registerThreadFollowUps(app, deps);
  registerAskCommand(app, deps);
  registerShare(app, deps);
  registerShowPassage(app, deps);
  registerFeedback(app, deps);
  registerCheckIn(app, deps);
  if (!options.quiz) return { app, deps };
  const quiz = new SlackQuiz(deps, () => app.client, options.quiz);
  quiz.register(app);
  return { app, deps, quiz };
}
