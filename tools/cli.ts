/**
 * The `miou` command line's dispatch: `miou sim`, `run`, `replay`, `diff`, `export`,
 * `explore`, `shrink` and `miou --help`. The executable is tools/miou.ts; this module only
 * returns exit codes, so tests call it.
 */
import { FormatError } from "../sim/format-error.js";
import { UsageError } from "./cli-args.js";
import { diffCommand } from "./diff-command.js";
import { ExitCode } from "./exit-codes.js";
import { exploreCommand } from "./explore-command.js";
import { exportCommand } from "./export-command.js";
import { HELP } from "./help.js";
import type { Output } from "./io.js";
import { replayCommand } from "./replay-command.js";
import { runCommand } from "./run-command.js";
import { shrinkCommand } from "./shrink-command.js";
import { simCommand } from "./sim-command.js";

/**
 * Runs one `miou` command line; returns its exit code (DESIGN §7). Bad usage and bad
 * files are reported on `output.err` with exit 2; anything else unexpected is a bug and
 * is thrown.
 * @example process.exitCode = await main(process.argv.slice(2), { out: console.log, err: console.error });
 */
export async function main(argv: readonly string[], output: Output): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    let code: ExitCode | "help";
    if (command === undefined || command === "--help" || command === "-h" || command === "help") code = "help";
    else if (command === "sim") code = await simCommand(rest, output);
    else if (command === "export") code = exportCommand(rest, output);
    else if (command === "run") code = await runCommand(rest, output);
    else if (command === "replay") code = await replayCommand(rest, output);
    else if (command === "diff") code = diffCommand(rest, output);
    else if (command === "explore") code = await exploreCommand(rest, output);
    else if (command === "shrink") code = await shrinkCommand(rest, output);
    else throw new UsageError(`unknown command ${JSON.stringify(command)}: the commands are sim, run, replay, diff, export, explore and shrink`);
    if (code === "help") {
      output.out(HELP.trimEnd());
      return command === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`miou: ${error.message}; see miou --help`);
      return ExitCode.Usage;
    }
    if (error instanceof FormatError) {
      output.err(error.message);
      return ExitCode.Usage;
    }
    throw error;
  }
}
