/**
 * The "Sources" button under an answer: shows the quoted passages behind the [n] markers as a
 * reply to the answer; the answer's buttons stay. The button's data holds only the passages'
 * positions in the corpus (and a corpus fingerprint), so nothing about the question is kept.
 */
import { Composer } from "grammy";
import { localeTag, parseLocale, type Citation, type Locale } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { renderPassages } from "../format/render.ts";
import { CALLBACK, sourcesKeyboard } from "../keyboards.ts";
import { sendHtml } from "../send.ts";

const positions = new WeakMap<BotCore["corpus"], Map<string, number>>();

function positionOf(core: BotCore, passageId: string): number | undefined {
  let map = positions.get(core.corpus);
  if (!map) {
    map = new Map(core.corpus.passages.map((p, i) => [p.id, i]));
    positions.set(core.corpus, map);
  }
  return map.get(passageId);
}

function fingerprint(core: BotCore): string {
  return core.corpus.hash.slice(0, 8).toLowerCase().replace(/[^0-9a-f]/g, "0");
}

/**
 * Callback data for the citations of an answer, or undefined when there is nothing to expand.
 * `original` asks for the English originals (for a reader who got the translations).
 */
export function sourcesData(core: BotCore, citations: readonly Citation[], options: { original?: boolean; locale?: Locale } = {}): string | undefined {
  const found = citations.map((c) => positionOf(core, c.passageId)).filter((i): i is number => i !== undefined);
  if (found.length === 0) return undefined;
  // The answer's language travels with the button, so the passages come in it whatever the app's language.
  const tag = options.locale && options.locale.lang !== "en" ? `:${localeTag(options.locale)}` : "";
  const data = `src${options.original ? "o" : ""}:${fingerprint(core)}:${found.join(".")}${tag}`;
  return data.length <= 64 ? data : undefined;
}

export function sourcesButtonFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.callbackQuery(CALLBACK.sources, async (ctx) => {
    const [, original, print, list, tag] = ctx.match;
    const citations: Citation[] = [];
    // The answer's language, unless the reader asked for the English originals.
    const reader = parseLocale(tag);
    const locale = original ? undefined : reader;
    const t = reader ? (key: string, vars?: Record<string, string | number>) => deps.core.t(reader, key, vars) : ctx.t;
    if (print === fingerprint(deps.core)) {
      for (const position of list!.split(".")) {
        const id = deps.core.corpus.passages[Number(position)]?.id;
        const passage = id === undefined ? undefined : deps.core.passage(id);
        if (passage) citations.push(deps.core.citation(passage, citations.length + 1, 0, locale));
      }
    }
    await ctx.answerCallbackQuery();
    const message = ctx.callbackQuery.message;
    if (citations.length === 0 || !message) {
      await sendHtml(ctx.api, ctx.chat!.id, [escapeHtml(ctx.t("telegram.sources.expired"))]);
      return;
    }
    // The keyboard stays: "Talk to a person" and the other buttons must not disappear with it.
    const translated = !original && citations.some((c) => c.translation);
    // Under translated passages, the English originals are one more tap away.
    const data = translated ? sourcesData(deps.core, citations, { original: true, ...(reader ? { locale: reader } : {}) }) : undefined;
    const keyboard = data ? sourcesKeyboard(t("telegram.sources.original_button"), data) : undefined;
    await sendHtml(ctx.api, ctx.chat!.id, renderPassages(citations, t, { original: !!original }), { replyTo: message.message_id, ...(keyboard ? { keyboard } : {}) });
  });
  return composer;
}
