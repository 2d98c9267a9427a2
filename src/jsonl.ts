/** JSON Lines files (evaluation sets): one object per line, validated, errors naming file and line. */
import { readFileSync } from "node:fs";
import type { z } from "zod";

export function parseJsonl<S extends z.ZodTypeAny>(text: string, schema: S, file = "<jsonl>"): Array<z.output<S>> {
  const out: Array<z.output<S>> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
    out.push(parsed.data);
  });
  return out;
}

export function readJsonl<S extends z.ZodTypeAny>(path: string, schema: S): Array<z.output<S>> {
  return parseJsonl(readFileSync(path, "utf8"), schema, path);
}
