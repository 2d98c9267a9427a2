#!/usr/bin/env node
// The import boundary: adapters import the core only through its public entry, src/index.ts.
//
//   node scripts/core-entry.mjs          check: exit 1 and list every adapter import that reaches
//                                        into src/ past the entry (npm run lint runs this)
//   node scripts/core-entry.mjs --write  convert: add what such imports use to src/index.ts
//                                        (keeping what it already exports) and point them at it
//
// `--write` is mechanical, so it can be re-run after merging branches that add deep imports.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, "src", "index.ts");
const write = process.argv.includes("--write");

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

// import { a, type B, c as d } from "../../src/x.ts";  |  import type { B } from "...";  (multi-line too)
const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)";?/g;
// Anything else that names a module under src/ (default, namespace, side-effect, dynamic, export-from).
const OTHER = /(?:import\s+[\w*][^"]*from\s*|import\s*\(\s*|import\s+|export\s+[^"]*from\s*)"([^"]+)"/g;

const isDeepCore = (file, spec) => {
  if (!spec.startsWith(".")) return false;
  const target = resolve(dirname(file), spec);
  const src = join(root, "src") + sep;
  return target.startsWith(src) && target !== entry;
};

/** module path relative to src/ → { values, types } */
const wanted = new Map();
const violations = [];
const edits = new Map();
for (const file of files(join(root, "adapters"))) {
  const text = readFileSync(file, "utf8");
  let next = text;
  for (const m of text.matchAll(IMPORT)) {
    const [whole, typeOnly, names, spec] = m;
    if (!isDeepCore(file, spec)) continue;
    const line = text.slice(0, m.index).split("\n").length;
    violations.push(`${relative(root, file)}:${line} imports ${spec}`);
    const mod = `./${relative(join(root, "src"), resolve(dirname(file), spec)).split(sep).join("/")}`;
    const entryNames = wanted.get(mod) ?? { values: new Set(), types: new Set() };
    for (const raw of names.split(",").map((n) => n.trim()).filter(Boolean)) {
      const isType = Boolean(typeOnly) || raw.startsWith("type ");
      const name = raw.replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
      (isType ? entryNames.types : entryNames.values).add(name);
    }
    wanted.set(mod, entryNames);
    let toEntry = relative(dirname(file), entry).split(sep).join("/");
    if (!toEntry.startsWith(".")) toEntry = `./${toEntry}`;
    next = next.replace(whole, whole.replace(`"${spec}"`, `"${toEntry}"`));
  }
  for (const m of next.matchAll(OTHER)) {
    if (isDeepCore(file, m[1])) violations.push(`${relative(root, file)} (import form --write cannot convert) imports ${m[1]}`);
  }
  if (next !== text) edits.set(file, next);
}

if (!write) {
  if (violations.length) {
    process.stderr.write(`Adapters must import the core only through src/index.ts (node scripts/core-entry.mjs --write converts):\n  ${violations.join("\n  ")}\n`);
    process.exit(1);
  }
  process.exit(0);
}

// Merge with what src/index.ts already exports.
const EXPORT = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)";?/g;
if (existsSync(entry)) {
  for (const m of readFileSync(entry, "utf8").matchAll(EXPORT)) {
    const [, typeOnly, names, mod] = m;
    const e = wanted.get(mod) ?? { values: new Set(), types: new Set() };
    for (const raw of names.split(",").map((n) => n.trim()).filter(Boolean)) {
      const isType = Boolean(typeOnly) || raw.startsWith("type ");
      (isType ? e.types : e.values).add(raw.replace(/^type\s+/, ""));
    }
    wanted.set(mod, e);
  }
}
// One module per name. A feature's own entry (quiz/index.ts) re-exports its modules' names, so
// when a name comes from both, the entry wins; two other modules with one name stop the script.
const owner = new Map();
const modules = [...wanted.keys()].sort((a, b) => Number(b.endsWith("/index.ts")) - Number(a.endsWith("/index.ts")) || a.localeCompare(b));
for (const mod of modules) {
  const { values, types } = wanted.get(mod);
  for (const v of values) types.delete(v);
  for (const n of [...values, ...types]) {
    if (!owner.has(n)) owner.set(n, mod);
    else if (!owner.get(n).endsWith("/index.ts")) {
      process.stderr.write(`${n} is imported from both ${owner.get(n)} and ${mod}; rename one import by hand\n`);
      process.exit(1);
    }
  }
}
const lines = [];
for (const mod of [...wanted.keys()].sort()) {
  const { values, types } = wanted.get(mod);
  const mine = (n) => owner.get(n) === mod;
  const names = [...[...values].filter(mine).sort(), ...[...types].filter(mine).sort().map((t) => `type ${t}`)];
  const onlyTypes = names.length > 0 && names.every((n) => n.startsWith("type "));
  if (onlyTypes) lines.push(`export type { ${names.map((n) => n.slice(5)).join(", ")} } from "${mod}";`);
  else if (names.length) lines.push(`export { ${names.join(", ")} } from "${mod}";`);
}
writeFileSync(
  entry,
  `/**
 * The core's public entry: everything the adapters (Telegram, Slack, console) may use.
 * Adapters import only from here (checked by \`npm run lint\`: scripts/core-entry.mjs and
 * Biome's noRestrictedImports). Maintained by \`node scripts/core-entry.mjs --write\`, which adds
 * what new adapter imports need; hand edits are kept.
 */
${lines.join("\n")}
`,
);
for (const [file, text] of edits) writeFileSync(file, text);
process.stdout.write(`src/index.ts: ${owner.size} names from ${wanted.size} modules; ${edits.size} adapter files pointed at it\n`);
