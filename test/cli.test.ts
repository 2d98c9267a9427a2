import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectPath } from "../src/paths.ts";
import { testConfig } from "./helpers/assistant.ts";
import { hotlineInProcess } from "./helpers/cli.ts";

const dataDir = testConfig().dataDir;
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
const bin = projectPath("bin", "hotline.js");

/** The CLI in-process (its exported entry, runCli): the same commands without a process start each. */
const hotline = (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) =>
  hotlineInProcess(args, { input, env: { ...env, ...extraEnv } });

/** The real `hotline` bin in a fresh process (compiled dist/, rebuilt first if a source changed). */
function spawnHotline(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8", cwd: projectPath() });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("hotline CLI", () => {
  it("index reports passages, documents and time", async () => {
    const r = await hotline(["index"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Indexed 2\d\d passages from 5 documents in \d+ ms/);
    expect(r.stdout).toContain("tip-2021-kazakhstan-protection");
  });

  it("ask --json prints one object with cited passages (the one real process start, through the bin)", () => {
    const r = spawnHotline(["ask", "--json", "How many calls did the hotline receive in 2020?"]);
    expect(r.stderr).not.toMatch(/build failed/);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.found).toBe(true);
    expect(json.language).toBe("en");
    expect(json.citations[0].source).toBe("tip-2021-kazakhstan-protection");
    expect(json.citations[0].text).toContain("1,341");
  }, 120_000); // a checkout with changed sources rebuilds dist/ first (CI builds it at install)

  it("ask --jsonl answers line by line in order, including bad lines", async () => {
    const r = await hotline(["ask", "--jsonl"], "How long is the land border?\n\nСколько жертв выявили в 2020 году?\n🙂\n");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual(["How long is the land border?", "", "Сколько жертв выявили в 2020 году?", ""]);
    expect(lines[0].answer).toContain("12,000 km");
    expect(lines[2].language).toBe("ru");
    expect(lines[1].found).toBe(false);
  });

  it("eval --qa prints recall and MRR per language and exits 0", async () => {
    const file = join(dataDir, "qa.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ id: "a", question: "How many calls did the hotline receive in 2020?", lang: "en", source: "tip-2021-kazakhstan-protection", answers: ["1,341"] })}\n`,
    );
    const r = await hotline(["eval", "--qa", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/en\s+n=\s+1\s+recall@1=1\.000\s+recall@3=1\.000\s+MRR=1\.000/);
  });

  it("eval --qa --english-only prints the English-only route's recall beside the translated index's", async () => {
    const file = join(dataDir, "qa-native.jsonl");
    // Tajik, in words the translation holds and the glossary does not translate (the IOM liaison meeting with South Korea).
    const question = "Мансабдорони сатҳи миёнаи Қазоқистон бо мансабдорони кадом кишвар вохӯрии робитавӣ доштанд?";
    writeFileSync(file, `${JSON.stringify({ id: "t", question, lang: "tg", source: "astana-cable-2007", answers: ["South Korea"] })}\n`);
    const r = await hotline(["eval", "--qa", file, "--staff", "--english-only"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/tg\s+n=\s+1\s+recall@1=\S+\s+recall@3=1\.000.*\| English-only recall@3=0\.000/);
  });

  it("names the bad option or file", async () => {
    expect((await hotline(["ask", "--lang", "fr", "hi"])).stderr).toMatch(/--lang: unsupported language "fr"/);
    expect((await hotline(["eval", "--qa", "/nonexistent/file.jsonl"])).status).toBe(1);
    const bad = await hotline(["ask", "x"], undefined, { KNOWLEDGE_DIR: "/nonexistent" });
    expect(bad.stderr).toMatch(/Knowledge folder not found: \/nonexistent/);
    const badEnv = await hotline(["ask", "x"], undefined, { LOG_LEVEL: "loud" });
    expect(badEnv.stderr).toMatch(/LOG_LEVEL/);
  });

  it("is the package's bin", () => {
    const pkg = JSON.parse(execFileSync("cat", [projectPath("package.json")], { encoding: "utf8" }));
    expect(pkg.bin.hotline).toBe("bin/hotline.js");
  });
});
