import { runBackfillBench, QUICK_BACKFILL, STANDARD_BACKFILL } from "./backfillBench";
import { parseBenchOptions, BENCHMARKS, type BenchmarkName } from "./benchOptions";
import { allPassed, formatTable, type BenchRow } from "./benchTable";
import { runCallsPerChangeBench } from "./callsPerChangeBench";
import { runControlsBench } from "./controlsBench";
import { machineInfo } from "./machineInfo";
import { runProxyOverheadBench, QUICK_OVERHEAD, STANDARD_OVERHEAD } from "./proxyOverheadBench";
import { QUICK_TRACE, STANDARD_TRACE } from "./replayTrace";
import { runSaveLatencyBench, QUICK_LATENCY, STANDARD_LATENCY } from "./saveLatencyBench";

/**
 * `npm run bench [-- --only <name>] [--quick] [--json]`: runs every benchmark (test/bench/README.md), one after
 * another so they do not share the CPU, and prints one table: metric, figure, target, pass/fail, with the date
 * and the machine. Exits 1 when any target is missed (or a benchmark could not run), 2 on a bad command line.
 */

async function run(name: BenchmarkName, quick: boolean): Promise<BenchRow[]> {
  switch (name) {
    case "calls":
      return runCallsPerChangeBench(quick ? QUICK_TRACE : STANDARD_TRACE);
    case "latency":
      return runSaveLatencyBench(quick ? QUICK_LATENCY : STANDARD_LATENCY);
    case "controls": {
      const result = await runControlsBench();
      if (result.text !== null) process.stderr.write(result.text);
      return result.rows;
    }
    case "backfill":
      return runBackfillBench(quick ? QUICK_BACKFILL : STANDARD_BACKFILL);
    case "overhead":
      return runProxyOverheadBench(quick ? QUICK_OVERHEAD : STANDARD_OVERHEAD);
  }
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const date = new Date();
  const rows: BenchRow[] = [];
  for (const name of options.only ? [options.only] : BENCHMARKS) {
    const started = performance.now();
    process.stderr.write(`bench ${name}${options.quick ? " (quick)" : ""}…\n`);
    try {
      rows.push(...(await run(name, options.quick)));
    } catch (error) {
      // One benchmark that cannot run is a failed row, not the end of the others.
      const message = error instanceof Error ? error.message : String(error);
      rows.push({
        benchmark: name,
        metric: "could not run",
        figure: message.split("\n")[0]!,
        target: "runs",
        pass: false,
      });
      process.stderr.write(`${error instanceof Error ? (error.stack ?? message) : message}\n`);
    }
    process.stderr.write(`bench ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const machine = machineInfo();
  const passed = allPassed(rows);
  if (options.json) {
    console.log(JSON.stringify({ date: date.toISOString(), machine, quick: options.quick, passed, rows }));
  } else {
    console.log(formatTable(rows, date, machine));
    console.log(passed ? "\nAll targets met." : "\nSome targets missed (FAIL above).");
  }
  process.exit(passed ? 0 : 1);
}

void main();
