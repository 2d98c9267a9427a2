/**
 * Webhook request verification, in one place: Telegram sends the secret given to `setWebhook`
 * in `X-Telegram-Bot-Api-Secret-Token`. A missing or wrong header means the request did not
 * come from Telegram. Compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export function verifySecret(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string" || header.length === 0) return false;
  // Hash both sides so that the comparison does not leak the secret's length.
  const a = createHash("sha256").update(header).digest();
  const b = createHash("sha256").update(secret).digest();
  return timingSafeEqual(a, b);
}
