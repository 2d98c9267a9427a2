/**
 * `npm run bench`: prints the project's speed and memory figures. Each part lives in its own
 * file; `npm run bench -- core` (or telegram, slack) runs one part.
 */
import { runCoreBench } from "./core.ts";

const parts: Record<string, () => Promise<void>> = {
  core: runCoreBench,
};

const wanted = process.argv.slice(2).filter((a) => a !== "--");
for (const [name, run] of Object.entries(parts)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
  console.log("");
}
