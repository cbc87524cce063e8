/** Command-line options of `npm run fuzz`; anything unknown or out of range is refused with the reason. */

export interface FuzzOptions {
  runs: number;
  seed: number;
}

export const FUZZ_USAGE = "usage: npm run fuzz -- [--runs <n>] [--seed <n>]";

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const options: FuzzOptions = { runs: 2_000, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const n = Number(value);
    if (flag !== "--runs" && flag !== "--seed") throw new Error(`Unknown option "${flag}".\n${FUZZ_USAGE}`);
    const max = flag === "--runs" ? 1_000_000 : 2 ** 31 - 1;
    if (value === undefined || !/^\d+$/.test(value) || n < (flag === "--runs" ? 1 : 0) || n > max) {
      throw new Error(`${flag} needs an integer up to ${max} (got ${value === undefined ? "nothing" : `"${value}"`}).`);
    }
    options[flag === "--runs" ? "runs" : "seed"] = n;
    i++;
  }
  return options;
}
