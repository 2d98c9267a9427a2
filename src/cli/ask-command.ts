/** `hotline ask`, `hotline index`, `hotline eval`: placeholder until the core lands. */
import type { Command } from "commander";

export function registerAskCommands(_program: Command): void {}
