/** Plain-text rendering of a triage reply for the console (the reply already lists the contacts). */
import type { TriageResult } from "../../src/index.ts";

export function formatTriageText(triage: TriageResult): string {
  const bar = triage.level === "emergency" ? "!!" : "--";
  return `${bar} ${triage.reply ?? ""}`.trim();
}
