/** The last line of defence: any listener error is logged by kind and code (no text) and swallowed. */
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.ts";
import { slackErrorCode } from "../web-api.ts";

export function registerErrors(app: App, deps: SlackDeps): void {
  app.error(async (error) => {
    deps.log.error({ event: "slack_error", feature: "listener", code: slackErrorCode(error) ?? error.code, err: error.name }, "Slack listener failed");
  });
}
