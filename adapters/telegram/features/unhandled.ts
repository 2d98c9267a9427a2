/**
 * Everything that is not a text question still gets a kind answer in the person's language:
 * voice, photos, stickers, locations, documents, contacts, other media, unknown commands and
 * edited messages. Never silence. An edited message is triaged again, since an edit can add
 * a disclosure; locations and phone numbers are not kept (and the person is told so).
 */
import { Composer } from "grammy";
import type { HotlineContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";
import { escapeHtml } from "../format/html.ts";
import { isGroup } from "../middleware/audience.ts";
import { sendHtml } from "../send.ts";
import { sendGroupSafety, sendSafety } from "./ask.ts";
import { lookupCase, relayFromPerson, storeDownNote } from "./handoff.ts";

const KINDS = [
  ["message:voice", "voice"],
  ["message:audio", "voice"],
  ["message:video_note", "voice"],
  ["message:photo", "photo"],
  ["message:video", "photo"],
  ["message:sticker", "sticker"],
  ["message:animation", "sticker"],
  ["message:location", "location"],
  ["message:venue", "location"],
  ["message:document", "document"],
  ["message:contact", "contact"],
] as const;

export function unhandledFeature(deps: BotDeps): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  for (const [filter, kind] of KINDS) {
    composer.on(filter, async (ctx) => {
      const open = await lookupCase(ctx, deps);
      if (open && open !== "unreachable") {
        // During a case nothing is lost: staff get a "[photo]"-style notice (and the caption).
        if (ctx.message.caption) await triageText(ctx, deps, ctx.message.caption, ctx.message.message_id);
        await relayFromPerson(ctx, deps, open, ctx.message.caption ? { text: `[${kind}] ${ctx.message.caption}` } : { kind });
        return;
      }
      // A caption is text the person wrote: triage it like any message.
      if (ctx.message.caption) await triageText(ctx, deps, ctx.message.caption, ctx.message.message_id);
      await kindReply(ctx, `telegram.unhandled.${kind}`);
      if (open === "unreachable") await storeDownNote(ctx);
    });
  }
  composer.on("message:text", (ctx) => kindReply(ctx, "telegram.unhandled.command")); // only unknown commands get here

  composer.on("edited_message", async (ctx) => {
    const text = ctx.editedMessage.text ?? ctx.editedMessage.caption;
    if (text && (await triageText(ctx, deps, text, ctx.editedMessage.message_id))) return;
    await kindReply(ctx, "telegram.unhandled.edited");
  });

  composer.on("message", (ctx) => kindReply(ctx, "telegram.unhandled.other"));
  return composer;
}

/** Sends the safety reply when `text` is a disclosure; true when it was. */
async function triageText(ctx: HotlineContext, deps: BotDeps, text: string, messageId: number): Promise<boolean> {
  const triage = deps.core.triage(text, ctx.locale);
  if (triage.level === "none") return false;
  ctx.session.level = triage.level;
  if (isGroup(ctx)) await sendGroupSafety(ctx, triage);
  else await sendSafety(ctx, deps, triage, messageId);
  return true;
}

async function kindReply(ctx: HotlineContext, key: string): Promise<void> {
  const html = [escapeHtml(ctx.t(key)), `<b>${escapeHtml(ctx.t("telegram.safety_line"))}</b>`].join("\n\n");
  await sendHtml(ctx.api, ctx.chat!.id, [html]);
}
