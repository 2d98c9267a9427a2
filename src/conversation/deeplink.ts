/**
 * The private-chat link a group reply offers: `https://t.me/<bot>?start=<code>`, where the code
 * carries only the level and the indicator ids (as positions in a fixed list), never text. The
 * person lands straight on the safety reply for what they described instead of retelling it.
 * Telegram start parameters are at most 64 characters of A-Z, a-z, 0-9, _ and -.
 */
import { ILO_INDICATORS, type Level } from "../triage/types.ts";

/** Fixed order: append only (old links keep working). */
const INDICATORS = ["emergency", "at_risk", ...ILO_INDICATORS] as const;

const LEVEL_CODE: Record<Exclude<Level, "none">, string> = { emergency: "e", trafficking: "t", at_risk: "a" };

export function safetyStartCode(level: Exclude<Level, "none">, indicators: readonly string[]): string {
  const codes = indicators.flatMap((i) => {
    const n = (INDICATORS as readonly string[]).indexOf(i);
    return n < 0 ? [] : [n.toString(36)];
  });
  return `s-${LEVEL_CODE[level]}${[...new Set(codes)].join("")}`.slice(0, 64);
}

export function parseSafetyStartCode(code: string | undefined): { level: Exclude<Level, "none">; indicators: string[] } | undefined {
  const m = /^s-([eta])([0-9a-z]*)$/.exec(code ?? "");
  if (!m) return undefined;
  const level = (Object.entries(LEVEL_CODE).find(([, c]) => c === m[1])?.[0] ?? "at_risk") as Exclude<Level, "none">;
  const indicators = [...m[2]!].flatMap((ch) => INDICATORS[parseInt(ch, 36)] ?? []);
  return { level, indicators };
}
