/**
 * The `hotline` command line: `hotline ask|index|eval|triage|stats|quiz|chat ...`.
 * Each command lives in its own file and registers itself on the program here.
 */
import { Command } from "commander";
import { loadDotEnv } from "../env-file.ts";
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { registerAskCommands } from "./ask-command.ts";
import { registerTriageCommands } from "./triage-command.ts";
import { registerQuizCommands } from "./quiz-command.ts";

export function buildProgram(): Command {
  const program = new Command("hotline")
    .description("Hotline assistant against human trafficking in Kazakhstan: cited answers, triage, quizzes")
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });
  registerAskCommands(program);
  registerTriageCommands(program);
  registerQuizCommands(program);
  return program;
}

/** Runs the CLI; errors print one line (naming the file or variable at fault) and exit 1. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    loadDotEnv();
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

// `tsx src/cli/main.ts ...` (npm run hotline) runs it directly; bin/hotline.js imports and calls runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) await runCli(process.argv);
