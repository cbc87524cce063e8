/** Command-line options of `npm run chaos`; anything unknown or out of range is refused with the reason. */

export interface ChaosOptions {
  events: number;
  seed: number;
  faultRate: number;
  /** Opportunities the sellers work on (default: one per 40 events, between 8 and 80). */
  deals: number;
  /** Events run at once (per-deal order is kept). */
  concurrency: number;
  /** Kill and restart a proxy process mid-run (needs a few seconds to start one). */
  crash: boolean;
}

export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  events: 10_000,
  seed: 1,
  faultRate: 0.2,
  deals: 0,
  concurrency: 8,
  crash: true,
};

export const CHAOS_USAGE =
  "usage: npm run chaos -- [--events <n>] [--seed <n>] [--fault-rate <0..1>] [--deals <n>] [--concurrency <n>] [--no-crash]";

function integer(name: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || n < min || n > max) {
    throw new Error(
      `${name} needs an integer from ${min} to ${max} (got ${text === undefined ? "nothing" : `"${text}"`}).`,
    );
  }
  return n;
}

export function parseChaosOptions(argv: readonly string[]): ChaosOptions {
  const options = { ...DEFAULT_CHAOS_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case "--events":
        options.events = integer(flag, value, 1, 1_000_000);
        i++;
        break;
      case "--seed":
        options.seed = integer(flag, value, 0, 2 ** 32 - 1);
        i++;
        break;
      case "--fault-rate": {
        const rate = Number(value);
        if (value === undefined || value.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
          throw new Error(
            `--fault-rate needs a number from 0 to 1 (got ${value === undefined ? "nothing" : `"${value}"`}).`,
          );
        }
        options.faultRate = rate;
        i++;
        break;
      }
      case "--deals":
        options.deals = integer(flag, value, 1, 1000);
        i++;
        break;
      case "--concurrency":
        options.concurrency = integer(flag, value, 1, 64);
        i++;
        break;
      case "--no-crash":
        options.crash = false;
        break;
      default:
        throw new Error(`Unknown option "${flag}".\n${CHAOS_USAGE}`);
    }
  }
  if (options.deals === 0) options.deals = Math.min(80, Math.max(8, Math.round(options.events / 40)));
  return options;
}
