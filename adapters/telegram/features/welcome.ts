/** /start: a short welcome in the person's language, the one-line safety note, the language picker. */
import { Composer } from "grammy";
import { LANGUAGE_NAMES, LANGUAGES } from "../../../src/index.ts";
import type { HotlineContext } from "../context.ts";
import { escapeHtml } from "../format/html.ts";
import { sendHtml } from "../send.ts";
import { languageKeyboard } from "../keyboards.ts";

export function welcomeFeature(): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.command("start", async (ctx) => {
    const languages = LANGUAGES.map((l) => LANGUAGE_NAMES[l]).join(", ");
    const html = [
      escapeHtml(ctx.t("telegram.welcome.greeting", { languages })),
      `<b>${escapeHtml(ctx.t("telegram.safety_line"))}</b>`,
      escapeHtml(ctx.t("telegram.welcome.choose_language")),
    ].join("\n\n");
    await sendHtml(ctx.api, ctx.chat.id, [html], { keyboard: languageKeyboard() });
  });
  return composer;
}
