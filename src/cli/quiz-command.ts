/**
 * `hotline quiz ...`: check the question bank, propose generated questions for review, export a
 * quiz's results as CSV, list the topics.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { type CliIo, processIo } from "./io.ts";
import { loadConfig } from "../config.ts";
import { loadCorpus } from "../knowledge/corpus.ts";
import { loadBank, formatProblem } from "../quiz/bank.ts";
import { checkBank } from "../quiz/check.ts";
import { generateQuestions, writeReviewFile } from "../quiz/generate.ts";
import { parseSession, resultsOf, resultsToCsv, type QuizSessionState } from "../quiz/session.ts";
import { QuizEngine } from "../quiz/engine.ts";
import { TOPICS } from "../quiz/types.ts";

interface Out {
  log(text: string): void;
  error(text: string): void;
}

const outOf = (io: CliIo): Out => ({
  log: (text) => io.stdout.write(`${text}\n`),
  error: (text) => io.stderr.write(`${text}\n`),
});

export function registerQuizCommands(program: Command, output?: Out, io: CliIo = processIo()): void {
  const out = output ?? outOf(io);
  const quiz = program.command("quiz").description("Quiz question bank and results");
  const bankDir = () => join(loadConfig(io.env).knowledgeDir, "quiz");

  quiz
    .command("check [file]")
    .description("Validate a bank file or folder (default: knowledge/quiz/) and name every bad entry")
    .option("--allow-review", "accept entries still marked `review:` (to check a generated file)")
    .action((file: string | undefined, opts: { allowReview?: boolean }) => {
      const config = loadConfig(io.env);
      const report = checkBank(file ? resolve(file) : bankDir(), {
        knowledgeDir: config.knowledgeDir,
        allowPendingReview: opts.allowReview === true,
      });
      for (const p of report.problems) out.log(formatProblem(p));
      out.log(
        `${report.files.length} file(s), ${report.questions.length} question(s): ${report.errors} error(s), ${report.warnings} warning(s)`,
      );
      if (!report.ok) io.exitCode = 1;
    });

  quiz
    .command("generate")
    .description("Propose fill-in-the-figure questions from the passages into a review file (never used until moved into the bank)")
    .option("--out <file>", "review file to write", "knowledge/quiz/review/generated.yaml")
    .option("--max <n>", "at most this many proposals", "60")
    .action((opts: { out: string; max: string }) => {
      const config = loadConfig(io.env);
      const corpus = loadCorpus(config.knowledgeDir);
      const existing = existsSync(bankDir()) ? loadBank(bankDir()).questions : [];
      const questions = generateQuestions(corpus, { existing, max: Number(opts.max) || 60 });
      const path = resolve(opts.out);
      writeReviewFile(path, questions);
      out.log(`${questions.length} proposal(s) written to ${path}. Review each one, delete its review: line, and move it into knowledge/quiz/.`);
    });

  quiz
    .command("export <session>")
    .description("Results of a quiz as CSV (rank, name, answered, correct, time): a session id in the bot's store (REDIS_URL), or a saved session JSON file")
    .option("--out <file>", "write the CSV to this file instead of standard output")
    .action(async (session: string, opts: { out?: string }) => {
      const state = existsSync(session) ? parseSession(readFileSync(session, "utf8")) : await fromStore(session, io);
      if (!state) {
        out.error(`No quiz session "${session}" found: give a session JSON file, or a session id with REDIS_URL set to the bot's Redis.`);
        io.exitCode = 1;
        return;
      }
      const csv = resultsToCsv(resultsOf(state));
      if (opts.out) writeFileSync(opts.out, csv);
      else io.stdout.write(csv);
    });

  quiz
    .command("list-topics")
    .description("Topics and how many questions each has")
    .action(() => {
      const counts = new Map(loadBank(bankDir()).topics().map((t) => [t.topic, t.count]));
      for (const topic of TOPICS) out.log(`${topic.padEnd(18)} ${counts.get(topic) ?? 0}`);
    });
}

async function fromStore(sessionId: string, io: CliIo): Promise<QuizSessionState | undefined> {
  const config = loadConfig(io.env);
  // Loaded here, not at start-up: the store module pulls in ioredis, which no other command needs.
  const { createStore } = await import("../store/create-store.ts");
  const store = createStore(config);
  try {
    const engine = new QuizEngine({ bank: loadBank(join(config.knowledgeDir, "quiz")), store });
    return await engine.get(sessionId);
  } finally {
    await store.close();
  }
}
