/**
 * Pseudonymous case ids for Slack. In Slack the writer is usually staff describing someone
 * else's situation, so a case is a thread (workspace, channel, thread), not a person: the same
 * thread always gets the same id, and the id reveals nothing. Ids come from the shared
 * `caseIdFor` (src/triage/handoff.ts: HMAC-SHA256 with CASE_ID_SECRET, or the secret kept in
 * the data folder), so they look like the ids of the other adapters.
 */
import { caseIdFor, caseIdSecret } from "../../src/index.ts";

export interface CaseScope {
  team?: string | undefined;
  channel: string;
  thread: string;
}

export type CaseIdFn = (scope: CaseScope) => string;

export function caseIdFactory(config: { CASE_ID_SECRET?: string | undefined; dataDir: string }): CaseIdFn {
  let secret: string | undefined;
  return ({ team, channel, thread }) => {
    secret ??= caseIdSecret(config.dataDir, config.CASE_ID_SECRET);
    return caseIdFor("slack", `${team ?? ""}:${channel}:${thread}`, secret);
  };
}
