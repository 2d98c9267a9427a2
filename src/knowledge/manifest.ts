/**
 * The knowledge manifest (`knowledge/manifest.yaml`): one entry per source document with its
 * bibliographic facts. Errors name the file and the entry.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readYamlFile } from "../yaml-file.ts";
import { z } from "zod";
import type { DocumentMeta } from "./types.ts";

const entry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes (the file stem)"),
  file: z.string().min(1),
  title: z.string().min(1),
  short: z.string().min(1),
  publisher: z.string().min(1),
  date: z.union([z.string(), z.number()]).transform(String),
  year: z.number().int().min(1900).max(2100),
  covers: z.string().min(1),
  format: z.enum(["tip-report", "embassy-cable", "blog-articles", "plain"]).default("plain"),
  section: z.string().optional(),
  url: z.string().optional(),
  notes: z.string().optional(),
});

const manifestSchema = z.object({ documents: z.array(entry).min(1, "lists no documents") });

export class KnowledgeError extends Error {
  override name = "KnowledgeError";
}

export function manifestPath(knowledgeDir: string): string {
  return join(knowledgeDir, "manifest.yaml");
}

/** Reads and validates the manifest; every listed file must exist. */
export function loadManifest(knowledgeDir: string): DocumentMeta[] {
  const path = manifestPath(knowledgeDir);
  if (!existsSync(knowledgeDir)) throw new KnowledgeError(`Knowledge folder not found: ${knowledgeDir}`);
  if (!existsSync(path)) throw new KnowledgeError(`Knowledge manifest not found: ${path}`);
  let raw: unknown;
  try {
    raw = readYamlFile(path);
  } catch (err) {
    throw new KnowledgeError((err as Error).message);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const [, index, field] = i.path;
      const id = typeof index === "number" ? (raw as { documents?: Array<{ id?: string }> }).documents?.[index]?.id : undefined;
      const where = typeof index === "number" ? `document ${index + 1}${id ? ` (${id})` : ""}${field ? `, field "${String(field)}"` : ""}` : i.path.join(".");
      return `${where}: ${i.message}`;
    });
    throw new KnowledgeError(`Invalid manifest ${path}:\n  - ${problems.join("\n  - ")}`);
  }
  const seen = new Set<string>();
  for (const doc of parsed.data.documents) {
    if (seen.has(doc.id)) throw new KnowledgeError(`Invalid manifest ${path}: document id "${doc.id}" is listed twice`);
    seen.add(doc.id);
    const file = join(knowledgeDir, doc.file);
    if (!existsSync(file)) throw new KnowledgeError(`Document "${doc.id}" in ${path}: file not found: ${file}`);
  }
  return parsed.data.documents;
}
