/** Child process for the cold-start benchmark: build the assistant, answer one question, report. */
import { loadConfig } from "../src/config.ts";
import { createAssistant } from "../src/app.ts";

const assistant = await createAssistant(loadConfig());
const answer = await assistant.ask("How many calls did the trafficking hotline receive in 2020?");
process.stdout.write(`${JSON.stringify({ found: answer.found, uptimeMs: performance.now() })}\n`);
