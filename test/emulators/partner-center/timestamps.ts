/**
 * Partner Center returns UTC timestamps with 7 fractional digits ("2018-11-06T18:40:42.6178337Z").
 * The emulator hands out strictly increasing ones so that an updatedDateTime watermark never ties.
 */

export class MonotonicClock {
  // Milliseconds and 100-ns ticks within them, kept apart: ms * 10^4 exceeds 2^53.
  private lastMs = 0;
  private lastSub = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  currentDate(): Date {
    return this.now();
  }

  /** The next timestamp: the current time, or one tick after the previous one if the clock has not moved. */
  next(): string {
    const ms = this.now().getTime();
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.lastSub = 0;
    } else {
      this.lastSub += 1;
      if (this.lastSub >= 10_000) {
        this.lastMs += 1;
        this.lastSub = 0;
      }
    }
    return new Date(this.lastMs).toISOString().slice(0, 23) + String(this.lastSub).padStart(4, "0") + "Z";
  }
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A sortable key for an OData DateTimeOffset (any offset, 0–7 fractional digits), or null if it is not one.
 * Keys compare lexicographically in time order.
 */
export function dateTimeKey(value: string): string | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return null;
  return new Date(seconds).toISOString().slice(0, 19) + "." + (m[2] ?? "").padEnd(7, "0") + "Z";
}
