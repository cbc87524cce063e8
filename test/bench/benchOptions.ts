/** Command line of `npm run bench`. */

export const BENCHMARKS = ["calls", "latency", "controls", "backfill", "overhead"] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  only: BenchmarkName | null;
  quick: boolean;
  json: boolean;
}

export const USAGE = `usage: npm run bench -- [--only ${BENCHMARKS.join("|")}] [--quick] [--json]`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { only: null, quick: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") options.quick = true;
    else if (arg === "--json") options.json = true;
    else if (arg === "--only") {
      const name = argv[++i];
      if (name === undefined) throw new Error(`--only needs a benchmark name.\n${USAGE}`);
      if (!(BENCHMARKS as readonly string[]).includes(name)) {
        throw new Error(`Unknown benchmark '${name}'; one of ${BENCHMARKS.join(", ")}.\n${USAGE}`);
      }
      options.only = name as BenchmarkName;
    } else throw new Error(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  return options;
}
