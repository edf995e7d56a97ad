#!/usr/bin/env node
/**
 * The `miou` executable (package.json bin), built by `npm run build` to
 * dist/node/tools/miou.js, which plain `node` runs. See tools/help.ts for the commands.
 */
import { main } from "./cli.js";
import type { Output } from "./io.js";

const output: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};
process.exitCode = await main(process.argv.slice(2), output);
