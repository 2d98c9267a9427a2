/**
 * Handoff to NGO staff: with the person's explicit consent, an alert carrying the level, the
 * matched indicators, the language and a pseudonymous case id.
 *
 * - The case id is HMAC-SHA256(secret, platform + ":" + user id), so staff can recognise a
 *   returning person without ever seeing the platform user id. The secret is CASE_ID_SECRET, or
 *   a random secret generated once and kept in the data dir (`case-id-secret`, mode 0600).
 * - The message text is included only when the person agreed to share it.
 * - Without consent there is no alert (`buildHandoffAlert` returns null).
 */
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-file.ts";
import { localeTag, LANGUAGE_NAMES } from "../language/languages.ts";
import type { TriageResult } from "./types.ts";

export const CASE_ID_SECRET_FILE = "case-id-secret";

export interface HandoffConsent {
  /** The person explicitly agreed that NGO staff may be alerted. */
  handoff: boolean;
  /** The person explicitly agreed to share the text of their message with staff. */
  shareMessage: boolean;
}

export interface HandoffAlert {
  kind: "triage_handoff";
  caseId: string;
  level: TriageResult["level"];
  indicators: string[];
  /** Language tag of the conversation (en, ru, kk, uz, uz-Cyrl, ky, tg). */
  language: string;
  createdAt: string;
  /** Platform name only (telegram, slack, console), never the user id. */
  platform: string;
  /** Present only when the person agreed to share it. */
  message?: string;
}

export interface BuildHandoffInput {
  platform: string;
  userId: string | number;
  result: Pick<TriageResult, "level" | "indicators" | "locale">;
  consent: HandoffConsent;
  secret: string;
  /** The person's message; used only with `consent.shareMessage`. */
  message?: string;
  now?: Date;
}

/** The pseudonymous case id: "case-" + the first 16 hex digits of HMAC-SHA256(secret, platform:userId). */
export function caseIdFor(platform: string, userId: string | number, secret: string): string {
  if (!secret || secret.length < 16) throw new Error("case id secret must be at least 16 characters");
  const mac = createHmac("sha256", secret).update(`${platform}:${String(userId)}`).digest("hex");
  return `case-${mac.slice(0, 16)}`;
}

/**
 * The secret for case ids: `configured` (CASE_ID_SECRET) when set, else the one kept in
 * `<dataDir>/case-id-secret`, created with a random value on first use.
 */
export function caseIdSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = join(dataDir, CASE_ID_SECRET_FILE);
  if (existsSync(file)) {
    checkSecretMode(file);
    const s = readFileSync(file, "utf8").trim();
    if (s.length >= 16) return s;
  }
  ensureDataDir(dataDir);
  const secret = randomBytes(32).toString("hex");
  writeFileAtomic(file, `${secret}\n`, 0o600);
  try {
    chmodSync(file, 0o600);
  } catch {
    // best effort on filesystems without modes
  }
  return secret;
}

/** Creates the data folder readable by its owner only (0700); tightens an existing one we own. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    const st = statSync(dataDir);
    if (process.platform !== "win32" && (st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dataDir, 0o700);
  } catch {
    // best effort
  }
}

/** A case-id secret others can read would let them link case ids to accounts: refuse it. */
export function checkSecretMode(file: string): void {
  if (process.platform === "win32") return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  }
}

/** Builds the staff alert, or null when the person did not consent to a handoff. */
export function buildHandoffAlert(input: BuildHandoffInput): HandoffAlert | null {
  if (!input.consent.handoff) return null;
  const alert: HandoffAlert = {
    kind: "triage_handoff",
    caseId: caseIdFor(input.platform, input.userId, input.secret),
    level: input.result.level,
    indicators: [...input.result.indicators],
    language: localeTag(input.result.locale),
    createdAt: (input.now ?? new Date()).toISOString(),
    platform: input.platform,
  };
  if (input.consent.shareMessage && input.message && input.message.trim()) alert.message = input.message.trim().slice(0, 4000);
  return alert;
}

const INDICATOR_NAMES: Record<string, string> = {
  abuse_of_vulnerability: "abuse of vulnerability",
  deception: "deception",
  restriction_of_movement: "restriction of movement",
  isolation: "isolation",
  physical_sexual_violence: "physical and sexual violence",
  intimidation_threats: "intimidation and threats",
  retention_of_documents: "retention of identity documents",
  withholding_of_wages: "withholding of wages",
  debt_bondage: "debt bondage",
  abusive_conditions: "abusive working and living conditions",
  excessive_overtime: "excessive overtime",
  emergency: "immediate danger",
  at_risk: "migration risk",
};

/** Plain English text of the alert for the staff channel. */
export function renderHandoffAlert(alert: HandoffAlert): string {
  const lang = alert.language.split("-")[0] as keyof typeof LANGUAGE_NAMES;
  const lines = [
    `${alert.level === "emergency" ? "URGENT — " : ""}Hotline handoff: ${alert.level.replace("_", " ")} (case ${alert.caseId})`,
    `Indicators: ${alert.indicators.length ? alert.indicators.map((i) => INDICATOR_NAMES[i] ?? i).join(", ") : "none matched"}`,
    `Language: ${LANGUAGE_NAMES[lang] ?? alert.language} (${alert.language}) · via ${alert.platform} · ${alert.createdAt}`,
    alert.message !== undefined ? `Message (shared with consent): ${alert.message}` : "Message: not shared (the person did not agree to share the text).",
    "The person agreed to be contacted through the bot. Do not ask for names or addresses unless they offer them.",
  ];
  return lines.join("\n");
}
