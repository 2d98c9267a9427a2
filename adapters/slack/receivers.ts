/**
 * How Slack reaches the app, kept apart from the app and its listeners (as in bolt-js):
 * - HTTP mode: Bolt's HTTPReceiver on SLACK_PORT at `/slack/events` (events, slash commands
 *   and interactivity share the URL). Bolt verifies `x-slack-signature` with
 *   SLACK_SIGNING_SECRET and rejects a bad signature or a timestamp older than five minutes
 *   with 401. `GET /healthz` answers 200 for load balancers.
 * - Socket Mode when SLACK_APP_TOKEN is set: no public URL; Slack pushes over a WebSocket.
 */
import { HTTPReceiver, SocketModeReceiver, type Logger, type Receiver } from "@slack/bolt";
import type { Config } from "../../src/index.ts";

export const EVENTS_PATH = "/slack/events";
export const HEALTH_PATH = "/healthz";

export type ReceiverKind = "http" | "socket";

export interface CreatedReceiver {
  kind: ReceiverKind;
  receiver: Receiver;
}

export function createReceiver(
  config: Pick<Config, "SLACK_SIGNING_SECRET" | "SLACK_APP_TOKEN" | "SLACK_API_URL">,
  logger: Logger,
): CreatedReceiver {
  if (config.SLACK_APP_TOKEN) {
    return {
      kind: "socket",
      receiver: new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN,
        logger,
        // apps.connections.open goes to the same Web API base as everything else.
        ...(config.SLACK_API_URL ? { installerOptions: { clientOptions: { slackApiUrl: apiUrl(config.SLACK_API_URL) } } } : {}),
      }),
    };
  }
  if (!config.SLACK_SIGNING_SECRET) throw new Error("SLACK_SIGNING_SECRET is required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)");
  return {
    kind: "http",
    receiver: new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET,
      endpoints: [EVENTS_PATH],
      logger,
      // Acknowledge first, then work: Slack wants the HTTP response within 3 seconds.
      processBeforeResponse: false,
      customRoutes: [
        {
          path: HEALTH_PATH,
          method: ["GET"],
          handler: (_req, res) => {
            res.writeHead(200, { "content-type": "text/plain" });
            res.end("ok");
          },
        },
      ],
    }),
  };
}

/** The Web API base with the trailing slash the client expects. */
export function apiUrl(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
