/** Where the project's files live, independent of the current working directory. */
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
