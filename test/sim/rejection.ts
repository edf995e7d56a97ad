import { expect } from "vitest";
import { FormatError } from "../../sim/format-error.js";

/** The message a reader gives when it rejects `text` (a FormatError), or "" when it accepts it. */
export function rejection(read: (text: string, file: string) => unknown, text: string, file: string): string {
  try {
    read(text, file);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).message;
  }
}
