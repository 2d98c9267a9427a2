/**
 * The "Sources" button under an answer: shows the quoted passages behind the [n] markers as a
 * reply to the answer; the answer's buttons stay. The button's data holds only the passages'
 * positions in the corpus (and a corpus fingerprint), so nothing about the question is kept.
 */
import { Composer } from "grammy";
import type { Citation } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { renderPassages } from "../format/render.ts";
import { CALLBACK } from "../keyboards.ts";
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

/** Callback data for the citations of an answer, or undefined when there is nothing to expand. */
export function sourcesData(core: BotCore, citations: readonly Citation[]): string | undefined {
  const found = citations.map((c) => positionOf(core, c.passageId)).filter((i): i is number => i !== undefined);
  if (found.length === 0) return undefined;
  const data = `src:${fingerprint(core)}:${found.join(".")}`;
  return data.length <= 64 ? data : undefined;
}

export function sourcesButtonFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  composer.callbackQuery(CALLBACK.sources, async (ctx) => {
    const [, print, list] = ctx.match;
    const citations: Citation[] = [];
    if (print === fingerprint(deps.core)) {
      for (const position of list!.split(".")) {
        const id = deps.core.corpus.passages[Number(position)]?.id;
        const passage = id === undefined ? undefined : deps.core.passage(id);
        if (passage) citations.push(deps.core.citation(passage, citations.length + 1));
      }
    }
    await ctx.answerCallbackQuery();
    const message = ctx.callbackQuery.message;
    if (citations.length === 0 || !message) {
      await sendHtml(ctx.api, ctx.chat!.id, [escapeHtml(ctx.t("telegram.sources.expired"))]);
      return;
    }
    // The keyboard stays: "Talk to a person" and the other buttons must not disappear with it.
    await sendHtml(ctx.api, ctx.chat!.id, renderPassages(citations, ctx.t), { replyTo: message.message_id });
  });
  return composer;
}
