/**
 * Reads the project's YAML files (prompts, glossary, rules, cards, quiz bank). Parsing YAML is
 * slow next to JSON (tens of milliseconds for the glossary), so each parsed file is also kept
 * as JSON in a cache folder, keyed by a hash of its content: a start-up after the first one
 * reads JSON. `setYamlCacheDir` is called once with DATA_DIR; without it nothing is cached.
 * Errors name the file.
 */
import { readFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";

/**
 * The YAML parser, loaded on the first file not in the cache: a start-up that reads every file
 * from the JSON cache does not load it. Throws the parser's own errors.
 */
export function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);
}

let cacheDir: string | undefined;

export function setYamlCacheDir(dir: string | undefined): void {
  cacheDir = dir ? join(dir, "yaml-cache") : undefined;
}

export class YamlFileError extends Error {
  override name = "YamlFileError";
  constructor(
    message: string,
    /** What went wrong: the file could not be read, or it is not valid YAML. */
    readonly kind: "read" | "parse",
    /** The underlying reason, without the file name. */
    readonly detail: string,
  ) {
    super(message);
  }

  /** The problem in a few words, for errors that name the file themselves. */
  get reason(): string {
    return this.kind === "parse" ? `invalid YAML: ${this.detail}` : `cannot read the file (${this.detail})`;
  }
}

/** The short reason of a YAML loading error (or any other error's message). */
export function yamlErrorReason(err: unknown): string {
  return err instanceof YamlFileError ? err.reason : (err as Error).message;
}

/** Parses YAML text (tests and tools that hold the text already); errors are YamlFileErrors. */
export function parseYamlText(text: string, source = "<yaml>"): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new YamlFileError(`Cannot parse ${source}: ${(err as Error).message}`, "parse", (err as Error).message);
  }
}

/** Parses a YAML file (through the JSON cache when one is set). */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const detail = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new YamlFileError(`Cannot read ${path}: ${detail}`, "read", detail);
  }
  const cached = cacheDir && join(cacheDir, `${createHash("sha256").update(path).update("\0").update(text).digest("hex").slice(0, 24)}.json`);
  if (cached) {
    try {
      return JSON.parse(readFileSync(cached, "utf8"));
    } catch {
      // not cached yet, or unreadable: parse below
    }
  }
  const value = parseYamlText(text, path);
  if (cached) {
    try {
      mkdirSync(cacheDir!, { recursive: true });
      writeFileAtomic(cached, JSON.stringify(value));
    } catch {
      // a read-only data folder only costs speed
    }
  }
  return value;
}
