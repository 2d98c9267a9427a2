/**
 * Sending HTML safely: messages go out in order, the keyboard rides on the last one, and if
 * Telegram ever rejects our markup the same words go out as plain text instead of nothing.
 */
import { GrammyError, type Api, type RawApi } from "grammy";
import type { InlineKeyboardMarkup, Message, ReplyParameters } from "grammy/types";
import { logger } from "../../src/index.ts";
import { htmlToPlain } from "./format/html.ts";

export interface SendOptions {
  keyboard?: InlineKeyboardMarkup;
  /** Reply to this message (if it still exists). */
  replyTo?: number;
  /** Silent notification (for the fixed texts that follow an answer). */
  silent?: boolean;
  /**
   * A safety reply: if Telegram refuses it (any 4xx but a rate limit), the same words go out
   * once more as plain text without keyboard or reply, because these numbers must arrive.
   */
  safety?: boolean;
}

/** Sends each part as its own message; returns the messages sent. */
export async function sendHtml(api: Api<RawApi>, chatId: number | string, parts: readonly string[], options: SendOptions = {}): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const reply_parameters: ReplyParameters | undefined =
      i === 0 && options.replyTo !== undefined ? { message_id: options.replyTo, allow_sending_without_reply: true } : undefined;
    const other = {
      link_preview_options: { is_disabled: true },
      ...(reply_parameters ? { reply_parameters } : {}),
      ...(last && options.keyboard ? { reply_markup: options.keyboard } : {}),
      ...(options.silent ? { disable_notification: true } : {}),
    };
    const html = parts[i]!;
    try {
      sent.push(await api.sendMessage(chatId, html, { ...other, parse_mode: "HTML" }));
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400 && /parse entities|can't find end tag/i.test(err.description)) {
        logger().error({ event: "telegram_markup_rejected", description: err.description }, "HTML rejected; sending plain text");
        sent.push(await api.sendMessage(chatId, htmlToPlain(html), other));
      } else if (options.safety && err instanceof GrammyError && err.error_code >= 400 && err.error_code < 500 && err.error_code !== 429) {
        logger().error({ event: "telegram_safety_send_failed", code: err.error_code, description: err.description }, "safety reply refused; sending it as plain text");
        sent.push(await api.sendMessage(chatId, htmlToPlain(html), { link_preview_options: { is_disabled: true } }));
      } else {
        throw err;
      }
    }
  }
  return sent;
}
