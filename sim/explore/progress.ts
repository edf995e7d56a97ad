/**
 * Exploration progress for people: a bar redrawn in place on a terminal (seeds done,
 * failures, seeds per second, time left), plain lines every 2 s and a last one at the end
 * otherwise (a CI log must not fill with carriage returns).
 */
import type { ExploreProgress } from "./explore.js";

export interface ProgressOptions {
  /** Whether the stream is a terminal: a bar redrawn in place, else periodic lines. */
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** Between two plain lines; default 2 s. The bar is redrawn at most every 100 ms. */
  readonly interval_ms?: number;
  /** The bar's width in characters; default 30. */
  readonly width?: number;
}

const BAR_INTERVAL_MS = 100;

/** Formats a number of seconds left: "12 s", "3 min 5 s", "2 h 1 min". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The progress line's text (without the bar). */
export function progressText(p: ExploreProgress): string {
  const rate = p.elapsed_ms > 0 ? (p.done * 1000) / p.elapsed_ms : 0;
  const left = rate > 0 ? formatEta((p.total - p.done) / rate) : "?";
  const failing = `${p.failures} failing`;
  return `${p.done}/${p.total} seeds, ${failing}, ${rate.toFixed(rate < 10 ? 1 : 0)} seeds/s, ${left} left`;
}

/** A progress reporter; `update` as seeds finish, `finish` once at the end. */
export class ProgressReporter {
  /** When the last line or bar was drawn: a bar at once, a plain line only after the first interval. */
  #last_ms: number;
  #drawn = false;
  #finished = false;
  /** The progress last written. */
  #shown: ExploreProgress | null = null;
  #latest: ExploreProgress | null = null;

  constructor(readonly options: ProgressOptions) {
    this.#last_ms = options.tty ? -Infinity : 0;
  }

  update(p: ExploreProgress): void {
    this.#latest = p;
    const every = this.options.tty ? BAR_INTERVAL_MS : (this.options.interval_ms ?? 2000);
    if (p.elapsed_ms - this.#last_ms < every) return;
    this.#last_ms = p.elapsed_ms;
    this.#draw(p);
  }

  /**
   * Clears the bar (a terminal) so that the report starts on a clean line; elsewhere,
   * writes the last state as a final plain line. Later calls do nothing.
   */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.options.tty && this.#drawn) this.options.write("\r\x1b[2K");
    if (!this.options.tty && this.#latest !== null && this.#latest !== this.#shown) this.#draw(this.#latest);
    this.#drawn = false;
  }

  #draw(p: ExploreProgress): void {
    this.#shown = p;
    if (!this.options.tty) {
      this.options.write(`explore: ${progressText(p)}\n`);
      return;
    }
    const width = this.options.width ?? 30;
    const filled = p.total === 0 ? width : Math.floor((p.done / p.total) * width);
    const bar = "#".repeat(filled) + ".".repeat(width - filled);
    this.options.write(`\r\x1b[2K[${bar}] ${progressText(p)}`);
    this.#drawn = true;
  }

  /** The latest progress seen. */
  get latest(): ExploreProgress | null {
    return this.#latest;
  }
}
