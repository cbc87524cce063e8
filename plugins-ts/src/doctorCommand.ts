import { loadProxyConfigOrExit } from "./server/proxyConfig";
import { runDoctor } from "./setup/doctor";
import { doctorText } from "./setup/reportText";
import { connect } from "./setup/setupConnections";

/**
 * `npm run doctor [-- --json]`: every check with pass/warn/fail, what was found and the fix. Same configuration as
 * the proxy. Exit code 1 when any check fails (warnings do not), 2 for bad configuration or flags.
 */

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown.join(" ")}.\nusage: npm run doctor -- [--json]`);
    process.exit(2);
  }
  const report = await runDoctor(connect(loadProxyConfigOrExit(process.env)));
  console.log(args.includes("--json") ? JSON.stringify(report, null, 2) : doctorText(report));
  process.exit(report.status === "fail" ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
