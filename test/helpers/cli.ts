/** Runs the `hotline` CLI in-process through its exported entry (runCli), with its own stdin, output and environment. */
import { Readable } from "node:stream";
import { runCli } from "../../src/cli/main.ts";

export interface CliRun {
  stdout: string;
  stderr: string;
  status: number;
}

export async function hotlineInProcess(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, LOG_LEVEL: "silent", ...options.env },
    exitCode: 0,
  };
  const status = await runCli(["node", "hotline", ...args], io);
  return { stdout, stderr, status };
}
