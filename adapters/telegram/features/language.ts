/** /language and the language picker: the choice is remembered in the session. */
import { Composer } from "grammy";
import { LANGUAGE_NAMES, localeTag, parseLocale } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import { languageKeyboard } from "../keyboards.ts";
import { CALLBACK } from "../keyboards.ts";
import { setLocale } from "../middleware/locale.ts";

export function languageFeature(core: BotCore): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("language", async (ctx) => {
    await ctx.reply(ctx.t("telegram.welcome.choose_language"), { reply_markup: languageKeyboard() });
  });
  composer.callbackQuery(CALLBACK.language, async (ctx) => {
    const chosen = parseLocale(ctx.match[1]);
    if (!chosen) {
      await ctx.answerCallbackQuery();
      return;
    }
    ctx.session.locale = localeTag(chosen);
    setLocale(ctx, core, chosen, true);
    const name = chosen.lang === "uz" && chosen.script === "cyrillic" ? "Ўзбекча" : LANGUAGE_NAMES[chosen.lang];
    const text = ctx.t("telegram.language.set", { language: name });
    await ctx.answerCallbackQuery({ text });
    await ctx.reply(text);
  });
  return composer;
}
