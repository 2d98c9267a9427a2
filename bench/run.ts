/**
 * `npm run bench`: prints the project's speed and memory figures. Each part lives in its own
 * file; `npm run bench -- core` (or telegram, slack) runs one part.
 */
import { runCoreBench } from "./core.ts";
import { runTelegramBench } from "./telegram.ts";
import { runSlackBench } from "./slack.ts";

const parts: Record<string, () => Promise<void>> = {
  core: runCoreBench,
  telegram: runTelegramBench,
  slack: runSlackBench,
};

const wanted = process.argv.slice(2).filter((a) => a !== "--");
const unknown = wanted.filter((w) => !(w in parts));
if (unknown.length) {
  console.error(`unknown benchmark part(s): ${unknown.join(", ")}; choose from ${Object.keys(parts).join(", ")}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(parts)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
  console.log("");
}
process.exit(0);
