/**
 * Loads guidance cards from `knowledge/cards/*.yaml` (one card per file; files starting with
 * `_` are notes for reviewers and are skipped). Each file is validated; errors name the file.
 */
import { readdirSync, existsSync } from "node:fs";
import { parseYamlText, readYamlFile } from "../yaml-file.ts";
import { join } from "node:path";
import { projectPath } from "../paths.ts";
import { cardSchema, type Card } from "./types.ts";

export const DEFAULT_CARDS_DIR = projectPath("knowledge", "cards");

/** Parses and validates one card file's text; `source` names it in error messages. */
export function parseCard(text: string, source = "card"): Card {
  return cardFromData(parseYamlText(text, source), source);
}

function cardFromData(data: unknown, source: string): Card {
  const result = cardSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(card)"}: ${i.message}`);
    throw new Error(`Invalid card ${source}:\n  ${problems.join("\n  ")}`);
  }
  return normalise(result.data);
}

/** Trims bodies (YAML block scalars keep a final newline) and collapses line breaks inside them. */
function normalise(card: Card): Card {
  const body = Object.fromEntries(
    Object.entries(card.body).map(([lang, text]) => [lang, text.replace(/[ \t]*\n[ \t]*/g, "\n").trim()]),
  ) as Card["body"];
  return { ...card, body };
}

/** Every card in `dir` (default `knowledge/cards/`), sorted by id. Duplicate ids are an error. */
export function loadCards(dir: string = DEFAULT_CARDS_DIR): Card[] {
  if (!existsSync(dir)) throw new Error(`Cards folder not found: ${dir}`);
  const cards: Card[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith("_")).sort()) {
    const card = cardFromData(readYamlFile(join(dir, file)), join(dir, file)); // JSON cache after the first parse
    const earlier = seen.get(card.id);
    if (earlier) throw new Error(`Card id "${card.id}" is used by both ${earlier} and ${file}`);
    seen.set(card.id, file);
    cards.push(card);
  }
  return cards.sort((a, b) => a.id.localeCompare(b.id));
}
