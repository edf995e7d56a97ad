/**
 * Writes a decision trace file as the run goes: the header first, then each line the
 * guest hands over, so a long run never holds its trace in memory and a killed run
 * leaves a valid prefix.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { headerLine, type DecisionHeader } from "./decision-header.js";

/** Bytes buffered before a write: few system calls, little memory. */
const CHUNK_CHARS = 1 << 16;

/**
 * A decision trace file being written.
 * @example
 * const w = new DecisionTraceWriter("run.jsonl", header);
 * await simulate({ ..., onLine: (line) => w.write(line) });
 * w.close();
 */
export class DecisionTraceWriter {
  #fd: number | null;
  #chunk = "";

  constructor(path: string, header: DecisionHeader) {
    this.#fd = openSync(path, "w");
    this.write(headerLine(header));
  }

  /** Appends one line (without its newline). */
  write(line: string): void {
    this.#chunk += line + "\n";
    if (this.#chunk.length >= CHUNK_CHARS) this.#flush();
  }

  /** Writes what is buffered and closes the file; later calls do nothing. */
  close(): void {
    if (this.#fd === null) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = null;
  }

  #flush(): void {
    if (this.#fd === null || this.#chunk === "") return;
    writeSync(this.#fd, this.#chunk);
    this.#chunk = "";
  }
}
