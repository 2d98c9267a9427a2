/**
 * Where a CLI run reads and writes: the process's streams and environment for the `hotline`
 * command, or buffers for tests that run the CLI in-process (`runCli(argv, io)`).
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Set to non-zero by a command that fails without throwing (e.g. `quiz check` found errors). */
  exitCode: number;
}

/** The real process: its exit code is `process.exitCode`. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    get exitCode() {
      return Number(process.exitCode ?? 0);
    },
    set exitCode(code: number) {
      process.exitCode = code;
    },
  };
}
