/** Whole-file writes that a crash cannot leave half-written: a temporary file beside it, then a rename. */
import { renameSync, writeFileSync } from "node:fs";

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
  renameSync(tmp, file);
}
