/**
 * Who the bot listens to. It ignores other bots and channel posts. In groups it answers only
 * what is addressed to it: commands, messages that mention it, replies to its own messages,
 * and presses on its own buttons. Everything else in a group is other people's conversation.
 */
import type { MiddlewareFn } from "grammy";
import type { HotlineContext } from "../context.ts";

export function isGroup(ctx: HotlineContext): boolean {
  return ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
}

export function audience(): MiddlewareFn<HotlineContext> {
  return async (ctx, next) => {
    // Quiz answers carry no chat, and grammY's `ctx.from` does not look at them: the voter is `pollAnswer.user`.
    if (ctx.pollAnswer) {
      if (ctx.pollAnswer.user && !ctx.pollAnswer.user.is_bot) await next();
      return;
    }
    if (!ctx.from || ctx.from.is_bot) return;
    if (!ctx.chat || ctx.chat.type === "channel") return; // nothing else without a chat is for us
    if (!isGroup(ctx) || addressedToBot(ctx)) await next();
  };
}

/** True for a command, a mention of the bot, a reply to the bot, or a press on our button. */
export function addressedToBot(ctx: HotlineContext): boolean {
  if (ctx.callbackQuery) return true;
  const message = ctx.message ?? ctx.editedMessage;
  if (!message) return false;
  const me = ctx.me.username.toLowerCase();
  if (message.reply_to_message?.from?.id === ctx.me.id) return true;
  const text = message.text ?? message.caption ?? "";
  const entities = message.entities ?? message.caption_entities ?? [];
  for (const e of entities) {
    const value = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === "bot_command" && e.offset === 0) {
      const at = value.indexOf("@");
      if (at === -1 || value.slice(at + 1) === me) return true;
    }
    if (e.type === "mention" && value === `@${me}`) return true;
    if (e.type === "text_mention" && e.user?.id === ctx.me.id) return true;
  }
  return false;
}
