// Runs the built `miou` command line (npm test builds first) in a fresh folder, as a user
// would, and runs the reproduction lines it prints.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/node/tools/miou.js");
const TMP = mkdtempSync(join(tmpdir(), "miou-explore-"));
let folders = 0;

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh folder; `miou(...)` runs there (or in `cwd`), `file` writes there, `read` reads there. */
export function folder(cwd?: string) {
  const dir = join(TMP, String(++folders));
  mkdirSync(dir);
  const miou = (...args: string[]) =>
    new Promise<Ran>((resolve) => {
      execFile(process.execPath, [CLI, ...args], { cwd: cwd ?? dir, encoding: "utf8", maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
      });
    });
  return {
    dir,
    miou,
    /** Runs a printed `miou ...` line, with extra arguments appended. */
    command: (line: string, ...extra: string[]) => {
      const [first, ...args] = line.split(" ");
      if (first !== "miou") throw new Error(`not a miou command: ${line}`);
      return miou(...args, ...extra);
    },
    file(name: string, text: string): string {
      writeFileSync(join(dir, name), text);
      return name;
    },
    read: (name: string) => readFileSync(join(dir, name), "utf8"),
  };
}

/** The lines of `text` that start with `miou `: the reproduction commands. */
export function commandLines(text: string): string[] {
  return text.split("\n").filter((line) => line.startsWith("miou "));
}

/** How many records an input trace file holds (its header not counted). */
export function eventCount(text: string): number {
  return text.split("\n").filter((line) => line.startsWith("{") && !line.includes('"miou"')).length;
}
