/** `hotline triage ...`: placeholder until the triage feature lands. */
import type { Command } from "commander";

export function registerTriageCommands(_program: Command): void {}
