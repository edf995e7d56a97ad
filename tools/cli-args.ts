/**
 * Command-line parsing for `miou`: positionals and `--flag VALUE` / `--flag=VALUE`
 * options, each checked with a message that says what was expected.
 */

/** Bad usage: the message is printed after `miou: `, and the command exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parsed arguments: positionals in order, and the last value given for each flag. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string>;
  readonly help: boolean;
}

/**
 * Splits `argv` into positionals and flags; `known` lists the flags (with their dashes)
 * that take a value. `--help`/`-h` anywhere asks for help.
 * @throws UsageError for an unknown flag or a flag without its value.
 */
export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(name)) throw new UsageError(`unknown option ${name} (options: ${known.join(", ")})`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined) throw new UsageError(`option ${name} needs a value`);
    flags.set(name, value);
  }
  return { positionals, flags, help };
}

/**
 * The integer value of `flag` in [min, max], or `fallback` when it is absent. Decimal
 * digits only: "1e6" or "0x10" are refused rather than guessed.
 */
export function integerFlag(args: ParsedArgs, flag: string, min: number, max: number, fallback: number): number {
  const text = args.flags.get(flag);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`option ${flag} must be an integer in [${min}, ${max}], got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The value of `flag`, one of `choices`, or `fallback` when it is absent. */
export function choiceFlag<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[], fallback: T): T {
  const text = args.flags.get(flag);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`option ${flag} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
  }
  return text as T;
}
