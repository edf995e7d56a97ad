#!/usr/bin/env node
/**
 * The `miou` executable (package.json bin), built by `npm run build` to
 * dist/node/tools/miou.js, which plain `node` runs. See tools/help.ts for the commands.
 */
import { main } from "./cli.js";
import type { Output } from "./io.js";

// `miou sim p.js | head -1` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

const output: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};
process.exitCode = await main(process.argv.slice(2), output);
