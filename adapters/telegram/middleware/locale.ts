/**
 * Sets `ctx.locale` and `ctx.t`: the language the person chose with the picker, else the
 * language of their Telegram app, else English. Text handlers may refine it per message
 * (see `features/ask.ts`) when the person has not chosen.
 */
import type { MiddlewareFn } from "grammy";
import { localeOf, parseLocale, type Locale } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";

export function locale(core: BotCore): MiddlewareFn<HotlineContext> {
  return async (ctx, next) => {
    const chosen = ctx.from ? parseLocale(ctx.session.locale) : undefined;
    setLocale(ctx, core, chosen ?? parseLocale(ctx.from?.language_code) ?? localeOf("en"), chosen !== undefined);
    await next();
  };
}

export function setLocale(ctx: HotlineContext, core: BotCore, value: Locale, chosen = ctx.localeChosen): void {
  ctx.locale = value;
  ctx.localeChosen = chosen;
  ctx.t = (key, vars) => core.t(value, key, vars);
}
