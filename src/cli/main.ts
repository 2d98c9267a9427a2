/**
 * The `hotline` command line: `hotline ask|index|eval|triage|stats|quiz|chat ...`.
 * Each command lives in its own file and registers itself on the program here.
 */
import { Command, CommanderError } from "commander";
import { loadDotEnv } from "../env-file.ts";
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { registerAskCommands } from "./ask-command.ts";
import { type CliIo, processIo } from "./io.ts";
import { registerTriageCommands } from "./triage-command.ts";
import { registerQuizCommands } from "./quiz-command.ts";
import { registerTrainCommand } from "./train-command.ts";

export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command("hotline")
    .description("Hotline assistant against human trafficking in Kazakhstan: cited answers, triage, quizzes")
    .showHelpAfterError()
    .configureOutput({
      writeOut: (str) => io.stdout.write(str),
      writeErr: (str) => io.stderr.write(str),
      outputError: (str, write) => write(str),
    })
    .exitOverride(); // subcommands inherit it: runCli returns the exit code instead of commander exiting
  registerAskCommands(program, io);
  registerTriageCommands(program, io);
  registerQuizCommands(program, undefined, io);
  registerTrainCommand(program, io);
  return program;
}

/**
 * Runs the CLI and returns its exit code; errors print one line (naming the file or variable at
 * fault) and give 1. Tests call it in-process with their own `io` (argv as from `process.argv`).
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    if (io.env === process.env) loadDotEnv();
    await buildProgram(io).parseAsync(argv);
    return io.exitCode;
  } catch (err) {
    // Commander has already printed its own message (unknown option, missing argument, --help).
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// `tsx src/cli/main.ts ...` (npm run hotline:dev) runs it directly; bin/hotline.js imports and calls runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const code = await runCli(process.argv);
  if (code !== 0) process.exit(code);
}
