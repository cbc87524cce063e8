import { runChaos } from "./chaosRun";
import { formatChaosReport } from "./chaosReport";
import { CHAOS_USAGE, parseChaosOptions } from "./chaosOptions";

/**
 * `npm run chaos -- [--events <n>] [--seed <n>] [--fault-rate <r>] …`: plays mixed seller and Microsoft events with
 * injected faults against the product over real HTTP, then checks both sides. Exits 1 on any violation, 2 on
 * bad options.
 */
async function main(): Promise<void> {
  let options;
  try {
    options = parseChaosOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    console.error(CHAOS_USAGE);
    process.exit(2);
  }
  console.log(`chaos: ${options.events} events, seed ${options.seed}, fault rate ${options.faultRate}…`);
  const report = await runChaos(options, (line) => console.log(line));
  console.log(`\n${formatChaosReport(report)}`);
  const violations = report.violations.length;
  console.log(violations === 0 ? "\nNo violations." : `\n${violations} violation(s).`);
  process.exit(violations === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
