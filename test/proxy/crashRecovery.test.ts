import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { DynamicsWebApi } from "dynamics-web-api";
import type { Referral } from "../../domain";
import { clientFor, SEED } from "../dataverse/fixture";
import { createDataverseEmulator, type DataverseEmulator } from "../emulators/dataverse/server";
import { createDevelopmentIssuer, type DevelopmentIssuer } from "../emulators/identity/developmentIssuer";
import { startHarness, type Harness } from "../partner-center/harness";

/**
 * The proxy as a real process, killed with SIGKILL in the middle of a create (Partner Center has stored the
 * referral, the answer is still on its way), then started again: the sync completes exactly once.
 */

jest.setTimeout(60_000);

const OPP = SEED.opportunities.contosoReady;
let pc: Harness;
let dv: DataverseEmulator;
let idp: DevelopmentIssuer;
let admin: DynamicsWebApi;
const children: ChildProcess[] = [];

function startProxyProcess(): Promise<{ child: ChildProcess; url: string }> {
  // tsx as a loader in this very process (its CLI would run the proxy in a grandchild that SIGKILL misses).
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "../../plugins-ts/src/main.ts")], {
    env: {
      ...process.env,
      PCS_MODE: "emulator",
      PCS_HOST: "127.0.0.1",
      PCS_PORT: "0",
      PCS_OIDC_ISSUER: idp.issuer,
      PCS_OIDC_AUDIENCE: idp.audience,
      PCS_DATAVERSE_URL: dv.url,
      PCS_PARTNER_CENTER_URL: pc.pc.baseUrl,
      PCS_DATAVERSE_WEBHOOK_SECRET: "crash-recovery-dataverse-webhook-secret-0123",
      PCS_CLAIM_TTL_SECONDS: "2",
      PCS_RETRY_EVERY_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`proxy did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`proxy exited with ${code}:\n${output}`)));
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const referrals = async () => ((await pc.admin("GET", "/admin/referrals")).body as { value: Referral[] }).value;
const opportunity = async () =>
  (await admin.retrieve({
    collection: "opportunities",
    key: OPP,
    select: ["pcs_referralid", "pcs_syncstate", "pcs_syncattempt"],
  })) as Record<string, unknown>;

beforeAll(async () => {
  pc = await startHarness();
  dv = await createDataverseEmulator({ port: 0 });
  idp = await createDevelopmentIssuer();
  admin = clientFor(dv, { impersonateAAD: SEED.aad.admin });
  await admin.update({ collection: "opportunities", key: OPP, data: { pcs_syncwithpartnercenter: true } });
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  await dv.close();
  await pc.pc.close();
  await idp.close();
});

it("a proxy killed mid-create and restarted completes the sync exactly once", async () => {
  const first = await startProxyProcess();
  // Partner Center stores the referral at once but takes 5 s to finish answering.
  await pc.admin("POST", "/admin/faults", {
    kind: "slowBody",
    slowBodyMs: 5000,
    method: "POST",
    pathPrefix: "/v1.0/engagements/referrals",
  });
  const token = await idp.issue({ oid: SEED.aad.jiwoo });
  void fetch(`${first.url}/api/sync`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ opportunityId: OPP, trigger: "toggle" }),
  }).catch(() => undefined);

  const [stored] = await until("Partner Center to store the referral", async () => {
    const value = await referrals();
    return value.length > 0 ? value : null;
  });
  first.child.kill("SIGKILL");
  await until("the first proxy to die", async () => first.child.signalCode === "SIGKILL");
  expect(await opportunity()).toMatchObject({ pcs_referralid: null });

  await pc.admin("DELETE", "/admin/faults");
  await startProxyProcess();
  // The claim expires after 2 s; the restarted instance's retry worker looks the referral up instead of posting.
  const row = await until("the restarted proxy to record the referral", async () => {
    const value = await opportunity();
    return value.pcs_referralid ? value : null;
  });
  expect(row.pcs_referralid).toBe(stored!.id);
  expect(await referrals()).toHaveLength(1);
});
