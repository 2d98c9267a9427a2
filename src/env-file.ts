/**
 * Loads `.env` from the project folder, if there is one, before configuration is read
 * (Node's own `process.loadEnvFile`). Variables already set in the environment win.
 */
import { existsSync } from "node:fs";
import { projectPath } from "./paths.ts";

export function loadDotEnv(path: string = projectPath(".env")): boolean {
  if (!existsSync(path)) return false;
  const before = { ...process.env };
  process.loadEnvFile(path);
  for (const [key, value] of Object.entries(before)) process.env[key] = value;
  return true;
}
