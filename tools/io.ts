/** Files and streams of the `miou` commands, with errors a user can act on. */
import { readFileSync, writeFileSync } from "node:fs";
import { UsageError } from "./cli-args.js";

/** Where a command prints: lines for stdout and for stderr (tests capture them). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Reads a file named on the command line; a missing or unreadable one is bad usage. */
export function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Writes a file named on the command line; failing to is bad usage (a missing folder...). */
export function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
