/** The console quiz with scripted answers, the answer matcher, and the quiz CLI. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { runConsoleQuiz } from "../adapters/console/quiz.ts";
import { registerQuizCommands } from "../src/cli/quiz-command.ts";
import { localeOf } from "../src/language/languages.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadBank } from "../src/quiz/bank.ts";
import { QuizEngine } from "../src/quiz/engine.ts";
import { matchOption } from "../src/quiz/match.ts";
import { serializeSession } from "../src/quiz/session.ts";

const bank = loadBank();

function scripted(lines: (string | null)[]) {
  const printed: string[] = [];
  const prompts: string[] = [];
  const io = {
    ask: async (prompt: string) => {
      prompts.push(prompt);
      return lines.length ? lines.shift()! : null;
    },
    print: (text: string) => printed.push(text),
  };
  return { io, printed, prompts };
}

function engineFor(ids: string[]) {
  let t = 0;
  const engine = new QuizEngine({ bank, store: new MemoryStore(), clock: () => (t += 1000), random: () => 0 });
  const start = engine.start.bind(engine);
  engine.start = (input) => start({ ...input, questionIds: ids, shuffleOptions: false });
  return engine;
}

describe("matchOption", () => {
  const cities = ["Four, all in Astana", "Two, in Almaty and Shymkent", "One, in Aktau", "Ten, one per region"];
  it("takes letters, Cyrillic look-alikes and positions", () => {
    expect(matchOption("b", cities)).toBe(1);
    expect(matchOption(" C) ", cities)).toBe(2);
    expect(matchOption("А", cities)).toBe(0); // Cyrillic A
    expect(matchOption("4", cities)).toBe(3);
    expect(matchOption("k", cities)).toBeUndefined();
  });
  it("matches option text fuzzily, and figures exactly", () => {
    expect(matchOption("almaty and shymkent", cities)).toBe(1);
    expect(matchOption("Almaty, Shymkent", cities)).toBe(1);
    expect(matchOption("aktau", cities)).toBe(2);
    const figures = ["89", "56", "138", "43"];
    expect(matchOption("138", figures)).toBe(2);
    expect(matchOption("13", figures)).toBeUndefined();
    expect(matchOption("2", figures)).toBeUndefined(); // a position would be ambiguous with figures
    expect(matchOption("c", figures)).toBe(2);
    expect(matchOption("9,059", ["1,341", "9,059"])).toBe(1);
    expect(matchOption("banana", cities)).toBeUndefined();
  });
});

describe("console quiz", () => {
  const ids = ["tip14-cases-investigated-2013", "cable07-two-shelters", "borgen-facemasks"];

  it("runs a quiz with typed letters and option text, re-asking what it cannot match", async () => {
    const { io, printed } = scripted(["c", "what?", "almaty and shymkent", "bus tickets"]);
    const result = await runConsoleQuiz(io, { locale: localeOf("en"), count: 3, engine: engineFor(ids) });
    expect(result).toMatchObject({ status: "finished", asked: 3, answered: 3, correct: 2, total: 3 });
    expect(printed[0]).toBe("Quiz: 3 questions. Every answer comes from the reports the hotline uses and cites its source.");
    expect(printed).toContain("\nQuestion 1/3\nHow many trafficking cases did police in Kazakhstan investigate in 2013?\n  A) 89\n  B) 56\n  C) 138\n  D) 43");
    expect(printed).toContain("I could not match that to an option. Type a letter A–D or part of the answer.");
    expect(printed.filter((l) => l === "Correct!")).toHaveLength(2);
    expect(printed).toContain("Not quite.");
    expect(printed).toContain(
      "Answer: D) Facemasks\nThe government distributed facemasks with an anti-trafficking hotline number printed on them.\n📖 Borgen Project (Aanchal Mishra) — Anti-Trafficking Efforts, para 3",
    );
    expect(printed).toContain("Quiz finished. You got 2 of 3 right.");
  });

  it("stops on /stop or end of input with the score so far", async () => {
    const { io, printed } = scripted(["c", "/stop"]);
    const result = await runConsoleQuiz(io, { locale: localeOf("en"), engine: engineFor(ids) });
    expect(result).toMatchObject({ status: "stopped", asked: 2, answered: 1, correct: 1 });
    expect(printed).toContain("Quiz stopped after 1 question. You got 1 right.");
    const eof = await runConsoleQuiz(scripted([]).io, { locale: localeOf("en"), engine: engineFor(ids) });
    expect(eof).toMatchObject({ status: "stopped", answered: 0 });
  });

  it("speaks the chosen language and takes a topic", async () => {
    const { io, printed, prompts } = scripted(["a"]);
    const result = await runConsoleQuiz(io, { locale: localeOf("ru"), topic: "Penalties", count: 1, bank, random: () => 0.5 });
    expect(result).toMatchObject({ status: "finished", total: 1, answered: 1 });
    expect(printed[0]).toBe(
      "Викторина «Законы и наказания»: 1 вопрос. Каждый ответ взят из докладов, на которые опирается горячая линия, со ссылкой на источник.",
    );
    expect(prompts[0]).toMatch(/^Ваш ответ \(буква A–[B-J]/);
  });

  it("explains an unknown topic", async () => {
    const { io, printed } = scripted([]);
    expect(await runConsoleQuiz(io, { locale: localeOf("en"), topic: "cooking" })).toMatchObject({ status: "error", error: "unknown_topic" });
    expect(printed[0]).toMatch(/^Unknown topic\. Topics: at-risk \(Who is at risk\), recruitment/);
  });
});

describe("hotline quiz CLI", () => {
  async function run(...args: string[]) {
    const lines: string[] = [];
    const program = new Command("hotline").exitOverride();
    registerQuizCommands(program, { log: (t) => lines.push(t), error: (t) => lines.push(t) });
    const previous = process.exitCode;
    await program.parseAsync(["node", "hotline", "quiz", ...args]);
    const code = process.exitCode;
    process.exitCode = previous;
    return { lines, code };
  }

  it("checks the bank and a broken file", async () => {
    expect((await run("check")).lines.at(-1)).toMatch(/^5 file\(s\), \d+ question\(s\): 0 error\(s\), 0 warning\(s\)$/);
    const broken = await run("check", "test/fixtures/quiz/broken.yaml");
    expect(broken.code).toBe(1);
    expect(broken.lines).toContain("ERROR broken.yaml [one-option]: has 1 options; needs 2-10");
  });

  it("lists topics with counts", async () => {
    const { lines } = await run("list-topics");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^at-risk\s+\d+$/);
  });

  it("generates a review file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "quiz-cli-")), "gen.yaml");
    const { lines } = await run("generate", "--out", out, "--max", "5");
    expect(lines[0]).toMatch(/^5 proposal\(s\) written to /);
    expect(readFileSync(out, "utf8")).toContain("review: ");
  });

  it("exports a saved session as CSV", async () => {
    const engine = new QuizEngine({ bank, store: new MemoryStore(), clock: () => 0 });
    const { sessionId } = await engine.start({ chatKey: "c", owner: { id: "1", name: "T" }, locale: localeOf("en"), count: 2 });
    await engine.answer(sessionId, 0, { id: "2", name: "Asel" }, 0);
    const file = join(mkdtempSync(join(tmpdir(), "quiz-cli-")), "session.json");
    writeFileSync(file, serializeSession((await engine.get(sessionId))!));
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await run("export", file);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^rank,name,answered,correct,questions,time_seconds\r\n1,Asel,1,[01],1,0\.0\r\n$/));
    } finally {
      write.mockRestore();
    }
  });
});
