/** `hotline quiz ...`: placeholder until the quiz feature lands. */
import type { Command } from "commander";

export function registerQuizCommands(_program: Command): void {}
