/**
 * `hotline triage "message"`: triage one message and show the level, the matched rules and the
 * reply. `hotline triage --jsonl`: messages one per line on stdin, one JSON object per line out.
 * `hotline stats`: the aggregate triage statistics kept in the data dir.
 */
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { type CliIo, processIo } from "./io.ts";
import { loadConfig } from "../config.ts";
import { createAssistant } from "../app.ts";
import type { Assistant } from "../assistant.ts";
import { localeTag, parseLocale } from "../language/languages.ts";
import { FileTriageStats, formatStats } from "../triage/stats.ts";
import type { TriageResult } from "../triage/types.ts";

/** The JSON line for `--jsonl`. */
export function triageJson(message: string, r: TriageResult) {
  return {
    message,
    language: localeTag(r.locale),
    level: r.level,
    indicators: r.indicators,
    contacts: r.contacts.map((c) => (c.phone ? { name: c.name, phone: c.phone } : { name: c.name })),
    reply: r.reply,
    ...(r.check ? { check: { level: r.check.level, indicators: [r.check.indicator], question: r.check.text } } : {}),
  };
}

function readable(assistant: Assistant, message: string, r: TriageResult): string {
  const a = assistant.explainTriage(message);
  const lines = [
    `Level:      ${r.level}${a?.escalated ? " (raised: several indicators together)" : ""} — decided by the rules`,
    `Language:   ${localeTag(r.locale)}`,
    `Indicators: ${r.indicators.join(", ") || "-"}`,
    `Rules:      ${r.rules.join(", ") || "-"}`,
  ];
  if (r.model) {
    const words = assistant.understander.strongestWords(message, r.model.level);
    lines.push(
      `Model:      ${r.model.level} (p ${r.model.p.toFixed(2)}); indicators ${r.model.indicators.map((i) => `${i.id} ${i.p.toFixed(2)}`).join(", ") || "-"}` +
        (words.length ? `; strongest words: ${words.map((w) => `${w.word} (+${w.delta.toFixed(2)})`).join(", ")}` : ""),
    );
  } else lines.push("Model:      (no classifiers loaded: rules alone)");
  if (r.check) lines.push(`Check-in:   "${r.check.text}" — yes → ${r.check.level} (${r.check.indicator}); because ${r.check.reason}`);
  const ignored = (a?.matches ?? []).filter((m) => m.note);
  if (ignored.length) lines.push(`Context:    ${ignored.map((m) => `${m.rule.id} ${m.level === "none" ? "ignored" : `lowered to ${m.level}`} (${m.note})`).join("; ")}`);
  const unverified = r.contacts.filter((c) => c.verify);
  if (unverified.length) lines.push(`Warning:    verify before deployment: ${unverified.map((c) => `${c.name}${c.note ? ` (${c.note})` : ""}`).join("; ")}`);
  lines.push("", r.reply ?? "(no safety reply: the message goes on to the normal answer)");
  return lines.join("\n");
}

export function registerTriageCommands(program: Command, io: CliIo = processIo()): void {
  program
    .command("triage")
    .description("Safety triage of a message (fixed rules, offline): level, indicators, contacts and the reply")
    .argument("[message...]", "the message to triage")
    .option("--jsonl", "read messages one per line from stdin; write one JSON object per line")
    .option("--lang <tag>", "reply language (en, ru, kk, uz, uz-Cyrl, ky, tg); detected when omitted")
    .action(async (words: string[], opts: { jsonl?: boolean; lang?: string }) => {
      const locale = opts.lang ? parseLocale(opts.lang) : undefined;
      if (opts.lang && !locale) throw new Error(`unknown language "${opts.lang}" (use en, ru, kk, uz, uz-Cyrl, ky or tg)`);
      const assistant = await createAssistant(loadConfig(io.env), { recordStats: false });
      if (opts.jsonl) {
        const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
        for await (const line of rl) {
          if (!line.trim()) continue;
          io.stdout.write(`${JSON.stringify(triageJson(line, assistant.triage(line, locale)))}\n`);
        }
        return;
      }
      const message = words.join(" ");
      if (!message.trim()) throw new Error('give a message: hotline triage "my boss took my passport" (or --jsonl with stdin)');
      io.stdout.write(`${readable(assistant, message, assistant.triage(message, locale))}\n`);
    });

  program
    .command("stats")
    .description("Aggregate triage statistics for NGO reporting (counts per day, level, indicator, language; no text, no user ids)")
    .option("--json", "print the raw JSON")
    .action((opts: { json?: boolean }) => {
      const config = loadConfig(io.env);
      const stats = FileTriageStats.inDataDir(config.dataDir);
      io.stdout.write(opts.json ? `${JSON.stringify(stats.snapshot(), null, 2)}\n` : `${formatStats(stats)}\n`);
    });
}
