/**
 * Pseudonymous case ids for Slack threads: an HMAC of workspace, channel and thread with
 * CASE_ID_SECRET, so the same thread always gets the same id and the id reveals nothing.
 * Without CASE_ID_SECRET a random per-process secret is used (ids then change on restart).
 *
 * When `src/triage/handoff.ts` offers case ids, pass its function as `caseId` to `startSlack`.
 */
import { createHmac, randomBytes } from "node:crypto";

export interface CaseScope {
  team?: string | undefined;
  channel: string;
  thread: string;
}

export type CaseIdFn = (scope: CaseScope) => string;

const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

export function caseIdFactory(secret: string | undefined): CaseIdFn {
  const key = secret ?? randomBytes(32).toString("hex");
  return ({ team, channel, thread }) => {
    const digest = createHmac("sha256", key).update(`slack:${team ?? ""}:${channel}:${thread}`).digest();
    let id = "";
    for (let i = 0; i < 8; i++) id += ALPHABET[digest[i]! % ALPHABET.length];
    return `SL-${id.slice(0, 4)}-${id.slice(4)}`;
  };
}
