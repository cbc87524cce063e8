import { join } from "node:path";
import { buildMissing, ROOT } from "./builtArtifacts";
import { startSandbox } from "./sandbox";
import { parseStartOptions } from "./startOptions";

/**
 * `npm start`: builds what is missing, starts the sandbox (emulators, development issuer, proxy, `setup`,
 * the form and Microsoft pages), prints the URLs, and stops everything on Ctrl+C. State is kept in .sandbox/.
 *
 *   npm start -- [--port <n>] [--pc-port <n>] [--dataverse-port <n>] [--proxy-port <n>] [--fresh]
 */

async function main(): Promise<void> {
  const o = parseStartOptions(process.argv.slice(2));
  const built = buildMissing();
  console.log(built.length > 0 ? `Built: ${built.join(", ")}.` : "Built files are up to date (out/).");
  const stateDir = join(ROOT, ".sandbox");
  const sandbox = await startSandbox({
    webPort: o.webPort,
    pcPort: o.pcPort,
    dataversePort: o.dataversePort,
    proxyPort: o.proxyPort,
    stateDir,
    fresh: o.fresh,
    setupProgress: (line) => console.log(`  setup ${line}`),
  });

  console.log("Co-sell Referral Sync sandbox is running:");
  console.log(`  Opportunities (form)      ${sandbox.webUrl}/`);
  console.log(`  Microsoft side            ${sandbox.webUrl}/microsoft`);
  console.log(`  Referral proxy            ${sandbox.proxyUrl}/api/health`);
  console.log(`  Sign-in (development)     ${sandbox.issuerUrl}`);
  console.log(`  Partner Center emulator   ${sandbox.partnerCenterUrl}/v1.0/engagements/referrals`);
  console.log(`  Dataverse emulator        ${sandbox.dataverseUrl}/api/data/v9.2/`);
  console.log(`  State kept in             ${stateDir} (start with --fresh for a clean seed)`);
  console.log("Press Ctrl+C to stop.");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
