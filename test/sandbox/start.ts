import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createDataverseEmulator } from "../emulators/dataverse/server";
import { createPartnerCenterEmulator } from "../emulators/partner-center/server";

/**
 * `npm start`: the local sandbox. Starts the Partner Center emulator and the Dataverse emulator (seeded with
 * the sandbox data of product-spec §8), keeps their state under .sandbox/ across restarts, prints the URLs,
 * and stops everything on Ctrl+C. The proxy and the Opportunity form page join here as they land.
 *
 *   npm start -- [--pc-port <n>] [--dataverse-port <n>] [--fresh]
 */

const USAGE = "usage: npm start -- [--pc-port <n>] [--dataverse-port <n>] [--fresh]";

function options(argv: string[]): { pcPort: number; dataversePort: number; fresh: boolean } {
  const out = { pcPort: 7101, dataversePort: 7102, fresh: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--fresh") out.fresh = true;
    else if (arg === "--pc-port" || arg === "--dataverse-port") {
      const value = argv[++i] ?? "";
      if (!/^\d+$/.test(value) || Number(value) > 65535)
        throw new Error(`${arg} must be a port number from 0 to 65535, got '${value}'.\n${USAGE}`);
      if (arg === "--pc-port") out.pcPort = Number(value);
      else out.dataversePort = Number(value);
    } else throw new Error(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  return out;
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const stateDir = join(__dirname, "..", "..", ".sandbox");
  mkdirSync(stateDir, { recursive: true });
  const suffix = o.fresh ? `-${Date.now()}` : "";

  const pc = await createPartnerCenterEmulator({
    port: o.pcPort,
    persistPath: join(stateDir, `partner-center${suffix}.json`),
  });
  const dataverse = await createDataverseEmulator({
    port: o.dataversePort,
    snapshotFile: join(stateDir, `dataverse${suffix}.json`),
  });

  console.log("Co-sell Referral Sync sandbox is running:");
  console.log(`  Partner Center emulator   ${pc.baseUrl}/v1.0/engagements/referrals`);
  console.log(`  Microsoft side (admin)    ${pc.baseUrl}/admin/referrals`);
  console.log(`  Dataverse emulator        ${dataverse.apiUrl}`);
  console.log(`  State kept in             ${stateDir} (start with --fresh for a clean seed)`);
  console.log("Press Ctrl+C to stop.");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([pc.close(), dataverse.close()]).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
