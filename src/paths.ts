/**
 * Where the project's files live, independent of the current working directory and of whether
 * the code runs from `src/` (tsx) or compiled from `dist/src/`: the nearest folder above this
 * file that holds package.json.
 */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
