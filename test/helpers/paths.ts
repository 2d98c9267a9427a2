/** Files of the shared development sets: ../shared/eval/ when it is beside the project, else the vendored copy. */
import { existsSync } from "node:fs";
import { projectPath } from "../../src/paths.ts";

export function sharedEvalFile(name: "qa-dev.jsonl" | "triage-dev.jsonl"): string {
  const shared = projectPath("..", "shared", "eval", name);
  return existsSync(shared) ? shared : projectPath("test", "fixtures", "shared-eval", name);
}
