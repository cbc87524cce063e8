import type { FaultConfig } from "./faultInjection";
import { createPartnerCenterEmulator } from "./server";

/**
 * `npm run emulate:partner-center -- --port <n> [--host <h>] [--state <file>] [--quota <n>] [--rps <n>]
 *  [--accept-on-create] [--faults '<FaultConfig JSON>']` starts the emulator alone and prints its base URL.
 */

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) out[a.slice(2)] = true;
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}

function int(args: Record<string, string | true>, name: string): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number, got ${String(v)}`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const known = ["port", "host", "state", "quota", "rps", "accept-on-create", "faults", "help"];
  const unknown = Object.keys(args).find((k) => !known.includes(k));
  if (unknown || args.help) {
    console.error(
      "usage: emulate:partner-center -- --port <n> [--host <h>] [--state <file>] [--quota <n>] [--rps <n>] [--accept-on-create]",
    );
    process.exit(unknown ? 2 : 0);
  }
  const quota = int(args, "quota");
  let faults: Partial<FaultConfig> | undefined;
  if (args.faults !== undefined) {
    try {
      faults = JSON.parse(String(args.faults)) as Partial<FaultConfig>;
    } catch {
      throw new Error(`--faults needs JSON such as '{"errorRates":{"503":0.1},"lostAnswerRate":0.05}'`);
    }
  }
  const rps = int(args, "rps");
  const pc = await createPartnerCenterEmulator({
    port: int(args, "port") ?? 0,
    host: typeof args.host === "string" ? args.host : "127.0.0.1",
    persistPath: typeof args.state === "string" ? args.state : undefined,
    newReferralStatus: args["accept-on-create"] ? "accepted" : "asSent",
    throttle: {
      ...(quota !== undefined && { dailyQuota: quota }),
      ...(rps !== undefined && { requestsPerSecond: rps }),
    },
  });
  if (faults) {
    // Through the admin API, so the fault configuration is validated by its schema.
    const res = await pc.app.inject({ method: "PATCH", url: "/admin/config", payload: { faults } });
    if (res.statusCode !== 200) {
      await pc.close();
      throw new Error(`--faults: ${res.body}`);
    }
  }
  console.log(`Partner Center emulator listening at ${pc.baseUrl}`);
  console.log(`  Referrals API: ${pc.baseUrl}/v1.0/engagements/referrals`);
  console.log(`  Webhook registration: ${pc.baseUrl}/webhooks/v1/registration`);
  console.log(`  Admin ("Microsoft side"): ${pc.baseUrl}/admin`);
  const stop = () => void pc.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
