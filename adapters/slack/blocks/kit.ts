/**
 * Small Block Kit constructors and Slack's size limits, so the feature files read as layout.
 */
import type { types } from "@slack/bolt";

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const LIMITS = {
  sectionText: 3000,
  contextText: 3000,
  buttonValue: 2000,
  buttonText: 75,
  blocks: 50,
  /** Characters of a passage quoted under an answer; "Show full passage" shows the rest. */
  quoted: 600,
  /** Plain characters per section before escaping (escaping can lengthen the text). */
  plainPerSection: 2400,
} as const;

export function section(mrkdwn: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: mrkdwn.slice(0, LIMITS.sectionText) } };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: "context",
    elements: mrkdwn.slice(0, 10).map((text) => ({ type: "mrkdwn" as const, text: text.slice(0, LIMITS.contextText) })),
  };
}

export function divider(): Block {
  return { type: "divider" };
}

export function header(plain: string): Block {
  return { type: "header", text: { type: "plain_text", text: plain.slice(0, 150), emoji: true } };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): ButtonElement {
  return {
    type: "button",
    text: { type: "plain_text", text: text.slice(0, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

export function actions(blockId: string, elements: ButtonElement[]): Block {
  return { type: "actions", block_id: blockId, elements: elements.slice(0, 25) };
}
