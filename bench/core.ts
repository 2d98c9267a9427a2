/**
 * Core benchmark: index build time, cold start to first answer (a fresh process), warm
 * per-question latency (p50 / p95 over the evaluation questions, repeated to ≥ 500) side by
 * side with the plain LangChain recipe (1000/200 splitter + BM25Retriever) on the same
 * questions in the same run, `hotline ask` from a fresh process (wall time and peak RSS of the
 * real bin), and this process's peak RSS. Goals on the 2-core reference machine: warm answer
 * ≥ 10× faster than LangChain and p95 ≤ 2 ms; `hotline ask` ≤ 0.6 s and ≤ 200 MB.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.ts";
import { createAssistant } from "../src/app.ts";
import { projectPath } from "../src/paths.ts";
import { langchainRetriever } from "./langchain-baseline.ts";

/** Printed by a child process on exit: its peak resident set (KB). */
const REPORT_RSS = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxRSS="+process.resourceUsage().maxRSS+"\\n"))`;

/** `hotline ask` through the real bin (compiled dist/), a fresh process each run: median wall ms and the largest peak RSS. */
function freshAsk(dataDir: string, runs = 5): { wallMs: number; rssMb: number; ok: boolean } {
  const walls: number[] = [];
  let rss = 0;
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ["--import", REPORT_RSS, projectPath("bin", "hotline.js"), "ask", "--json", "How many calls did the hotline receive in 2020?"], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    walls.push(performance.now() - t);
    ok &&= r.status === 0 && r.stdout.includes("1,341");
    rss = Math.max(rss, Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024);
  }
  walls.sort((a, b) => a - b);
  return { wallMs: percentile(walls, 50), rssMb: rss, ok };
}

/** Per-question CPU time (user + system, ms): unlike wall time, not inflated when other work shares the machine. */
async function cpuEach(qs: string[], min: number, run: (q: string) => Promise<unknown>): Promise<number[]> {
  for (const q of qs.slice(0, 20)) await run(q);
  const out: number[] = [];
  while (out.length < min) {
    for (const q of qs) {
      const c = process.cpuUsage();
      await run(q);
      const d = process.cpuUsage(c);
      out.push((d.user + d.system) / 1000);
    }
  }
  return out.sort((a, b) => a - b);
}

async function timeEach(qs: string[], min: number, run: (q: string) => Promise<unknown>): Promise<number[]> {
  for (const q of qs.slice(0, 20)) await run(q); // warm-up
  const latencies: number[] = [];
  while (latencies.length < min) {
    for (const q of qs) {
      const s = performance.now();
      await run(q);
      latencies.push(performance.now() - s);
    }
  }
  return latencies.sort((a, b) => a - b);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

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

function triageMessages(): string[] {
  const f = projectPath("test", "eval", "triage-cases.jsonl");
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).message as string);
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
  const latencies = await timeEach(qs, 500, (q) => assistant.ask(q));
  // One message's whole analysis (clean, language, intent, rules triage, risk model, check-in):
  // the synchronous step every message passes before anything else.
  const messages = [...qs, ...triageMessages()];
  const analysis = await timeEach(messages, 2000, async (m) => assistant.understand(m));
  const staffLatencies = await timeEach(qs, 500, (q) => assistant.ask(q, { audience: "staff" }));
  const staffCpu = await cpuEach(qs, 500, (q) => assistant.ask(q, { audience: "staff" }));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const lc = await langchainRetriever(assistant.corpus, config.knowledgeDir);
  const lcLatencies = await timeEach(qs, 500, (q) => lc.invoke(q));
  const ask = freshAsk(dataDir);

  const ok = (v: boolean) => (v ? "ok" : "MISSED");
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const lcP50 = percentile(lcLatencies, 50);
  const lcP95 = percentile(lcLatencies, 95);
  const speedup = mean(lcLatencies) / mean(latencies);
  console.log("Core (retrieval and answers)");
  console.log(`  passages indexed          ${assistant.corpus.passages.length} from ${assistant.corpus.documents.length} documents`);
  console.log(`  index build               ${buildMs.toFixed(0)} ms`);
  console.log(`  cold start to 1st answer  ${coldMs.toFixed(0)} ms wall (${cold.uptimeMs.toFixed(0)} ms inside the process)  target ≤ 1500 ms  ${ok(coldMs <= 1500)}`);
  console.log(`  warm answer, ${latencies.length} questions  p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  mean ${mean(latencies).toFixed(2)} ms  goal p95 ≤ 2 ms  ${ok(p95 <= 2)}`);
  const aP95 = percentile(analysis, 95);
  console.log(`  one message's analysis (understand: language, intent, rules, risk model, check-in), ${analysis.length} messages  p50 ${percentile(analysis, 50).toFixed(3)} ms  p95 ${aP95.toFixed(3)} ms  goal p95 ≤ 1 ms  ${ok(aP95 <= 1)}`);
  const sp95 = percentile(staffLatencies, 95);
  console.log(`  warm answer as staff (passages, questions field, decision), ${staffLatencies.length} questions  p50 ${percentile(staffLatencies, 50).toFixed(2)} ms  p95 ${sp95.toFixed(2)} ms  goal p95 ≤ 5 ms  ${ok(sp95 <= 5)}`);
  console.log(`  the same, CPU time per answer (not inflated by other work on the machine)  p50 ${percentile(staffCpu, 50).toFixed(2)} ms  p95 ${percentile(staffCpu, 95).toFixed(2)} ms  goal p95 ≤ 5 ms  ${ok(percentile(staffCpu, 95) <= 5)}`);
  console.log(`  LangChain recipe (1000/200 splitter + BM25Retriever k=3), same questions  p50 ${lcP50.toFixed(2)} ms  p95 ${lcP95.toFixed(2)} ms  mean ${mean(lcLatencies).toFixed(2)} ms`);
  console.log(`  speed-up over LangChain (mean)  ${speedup.toFixed(1)}×  (p50 ${(lcP50 / p50).toFixed(1)}×)  goal ≥ 10×  ${ok(speedup >= 10)}`);
  console.log(`  hotline ask, fresh process (bin → dist/, median of 5)  ${ask.wallMs.toFixed(0)} ms wall  goal ≤ 600 ms  ${ok(ask.wallMs <= 600)};  peak RSS ${ask.rssMb.toFixed(0)} MB  goal ≤ 200 MB  ${ok(ask.rssMb <= 200)}${ask.ok ? "" : "  (ANSWER WRONG)"}`);
  console.log(`  peak RSS of this process (index, ${latencies.length} answers)  ${rssMb.toFixed(0)} MB  target ≤ 250 MB  ${ok(rssMb <= 250)}`);
}
