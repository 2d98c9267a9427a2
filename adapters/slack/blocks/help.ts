/** Usage help, for `/hotline-ask help` and "help" in a mention or direct message. */
import type { Texts } from "../texts.ts";
import { section, type Block } from "./kit.ts";

export function helpView(tx: Texts, command: string): { blocks: Block[]; text: string } {
  const text = tx.t("slack.help", { command });
  return { blocks: [section(text)], text };
}
