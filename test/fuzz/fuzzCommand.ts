import { formatFuzzReport, runFuzz } from "./fuzzRun";
import { FUZZ_USAGE, parseFuzzOptions } from "./fuzzOptions";

/**
 * `npm run fuzz -- [--runs <n>] [--seed <n>]`: generated malformed requests against every proxy route and both
 * webhooks; reports crashes, 5xx answers and state changes. Exits 1 on any, 2 on bad options.
 */
async function main(): Promise<void> {
  let options;
  try {
    options = parseFuzzOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    console.error(FUZZ_USAGE);
    process.exit(2);
  }
  console.log(`fuzz: ${options.runs} requests, seed ${options.seed}…`);
  const report = await runFuzz(options, (line) => console.log(line));
  console.log(`\n${formatFuzzReport(report)}`);
  const bad = report.failures.length > 0 || !report.aliveAfter;
  console.log(bad ? "\nFailures found." : "\nNo crash, no 5xx, no state change.");
  process.exit(bad ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
