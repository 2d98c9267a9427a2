/**
 * `hotline train`: rebuilds the classifiers (language, intent, risk) from knowledge/training,
 * deterministically (one thread, fixed seed), saves them in MODELS_DIR and prints the
 * development-split figures per model and label. `--quiet` prints one line (used at install).
 */
import type { Command } from "commander";
import { cardPhrasings } from "../assistant.ts";
import { createCardMatcher, loadCards } from "../cards/index.ts";
import { join } from "node:path";
import { loadConfig } from "../config.ts";
import { evaluateDev, openModels } from "../understanding/models.ts";
import { loadTrainingCorpus } from "../understanding/corpus.ts";
import type { CliIo } from "./io.ts";

export function registerTrainCommand(program: Command, io: CliIo): void {
  program
    .command("train")
    .description("rebuild the language, intent and risk classifiers from knowledge/training and print development figures")
    .option("--quiet", "print one line")
    .option("--if-needed", "train only the models that are missing for the current corpus")
    .action(async (opts: { quiet?: boolean; ifNeeded?: boolean }) => {
      const config = loadConfig(io.env);
      const started = performance.now();
      const cards = loadCards(join(config.knowledgeDir, "cards"));
      const cardIds = cards.map((c) => c.id);
      const { models, trained } = await openModels({
        trainingDir: join(config.knowledgeDir, "training"),
        cardIds,
        modelsDir: config.modelsDir,
        rebuild: !opts.ifNeeded,
        extraIntent: cardPhrasings({ cards, matcher: createCardMatcher(cards) }),
        onWarning: (m) => io.stderr.write(`warning: ${m}\n`),
      });
      const ms = Math.round(performance.now() - started);
      const corpus = loadTrainingCorpus(join(config.knowledgeDir, "training"), cardIds);
      const head =
        `${trained.length ? `Trained ${trained.join(", ")}` : "Models up to date"} from ${corpus.train.length} examples ` +
        `(${corpus.files.length} files, corpus ${corpus.hash}) in ${ms} ms → ${config.modelsDir}`;
      if (opts.quiet) {
        io.stdout.write(`${head}\n`);
        return;
      }
      const lines = [head, "", `Development split (${corpus.dev.length} lines never trained on):`];
      for (const r of evaluateDev(models, corpus.dev)) {
        lines.push(`  ${r.model.padEnd(10)} ${r.model === "indicators" ? "micro F1" : "accuracy"} ${r.score.toFixed(3)}`);
        for (const l of r.perLabel.slice(0, 40)) {
          lines.push(`      ${l.label.padEnd(32)} n=${String(l.support).padStart(4)}  P ${l.precision.toFixed(2)}  R ${l.recall.toFixed(2)}`);
        }
      }
      io.stdout.write(`${lines.join("\n")}\n`);
    });
}
