/**
 * Core benchmark: index build time, cold start to first answer (a fresh process), warm
 * per-question latency (p50 / p95 over the evaluation questions, repeated to ≥ 500), and peak
 * RSS. Targets on the 2-core reference machine: p95 ≤ 10 ms, cold start ≤ 1.5 s, RSS ≤ 250 MB.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.ts";
import { createAssistant } from "../src/app.ts";
import { projectPath } from "../src/paths.ts";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function questions(): string[] {
  const files = [projectPath("..", "shared", "eval", "qa-dev.jsonl"), projectPath("test", "eval", "qa-cases.jsonl")];
  const out: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, "utf8").split("\n")) if (line.trim()) out.push(JSON.parse(line).question as string);
  }
  if (out.length === 0) out.push("How many victims were identified in 2020?", "Сколько звонков поступило на горячую линию?");
  return out;
}

export async function runCoreBench(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "hotline-bench-"));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" });

  let t = performance.now();
  const assistant = await createAssistant(config, { rebuildIndex: true });
  const buildMs = performance.now() - t;

  t = performance.now();
  // Run the cold start the way `npm start` runs the bot: compiled JavaScript when this file is compiled.
  const compiled = import.meta.url.endsWith(".js");
  const script = fileURLToPath(new URL(compiled ? "./cold-start.js" : "./cold-start.ts", import.meta.url));
  const child = execFileSync(process.execPath, compiled ? [script] : ["--import", "tsx", script], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  const coldMs = performance.now() - t;
  const cold = JSON.parse(child.trim().split("\n").pop()!) as { found: boolean; uptimeMs: number };

  const qs = questions();
  for (const q of qs.slice(0, 20)) await assistant.ask(q); // warm-up
  const latencies: number[] = [];
  while (latencies.length < 500) {
    for (const q of qs) {
      const s = performance.now();
      await assistant.ask(q);
      latencies.push(performance.now() - s);
    }
  }
  latencies.sort((a, b) => a - b);
  const rssMb = process.resourceUsage().maxRSS / 1024;

  const ok = (v: boolean) => (v ? "ok" : "MISSED");
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  console.log("Core (retrieval and answers)");
  console.log(`  passages indexed          ${assistant.corpus.passages.length} from ${assistant.corpus.documents.length} documents`);
  console.log(`  index build               ${buildMs.toFixed(0)} ms`);
  console.log(`  cold start to 1st answer  ${coldMs.toFixed(0)} ms wall (${cold.uptimeMs.toFixed(0)} ms inside the process)  target ≤ 1500 ms  ${ok(coldMs <= 1500)}`);
  console.log(`  warm latency, ${latencies.length} questions  p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  target p95 ≤ 10 ms  ${ok(p95 <= 10)}`);
  console.log(`  peak RSS                  ${rssMb.toFixed(0)} MB  target ≤ 250 MB  ${ok(rssMb <= 250)}`);
}
