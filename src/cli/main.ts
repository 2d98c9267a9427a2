/**
 * The `hotline` command line: `hotline ask|index|eval|triage|stats|quiz|chat ...`.
 * Each command lives in its own file and registers itself on the program here.
 */
import { Command } from "commander";
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

const isMain = process.argv[1] && /cli[\\/]main\.ts$|bin[\\/]hotline(\.js)?$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
