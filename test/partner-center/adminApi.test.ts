import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Referral } from "../../domain";
import { referralResponseErrors } from "../contracts/partner-center/referralContract";
import { createPartnerCenterEmulator } from "../emulators/partner-center/server";
import { failureOf, startHarness, validReferral, type Harness } from "./harness";

/** The "Microsoft side" (admin API), persistence across restarts, and the stand-alone command. */

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.pc.close();
});

afterEach(() => {
  expect(h.violations).toEqual([]);
});

async function act(path: string, body?: unknown): Promise<Referral> {
  const res = await h.admin(
    path.startsWith("PATCH ") || path.startsWith("PUT ") ? path.split(" ")[0]! : "POST",
    path.replace(/^(PATCH|PUT) /, ""),
    body,
  );
  expect(res.status).toBeLessThan(300);
  expect(referralResponseErrors(res.body)).toEqual([]);
  return res.body as Referral;
}

it("accept sets Active/Accepted and Microsoft's CRM id, with a new eTag the client sees", async () => {
  const { referral } = await h.client.createReferral(validReferral());
  const accepted = await act(`/admin/referrals/${referral.id}/accept`, { microsoftMsxId: "7-MSX-1" });
  expect([accepted.status, accepted.substatus, accepted.trackingInfo?.microsoftMsxId]).toEqual([
    "Active",
    "Accepted",
    "7-MSX-1",
  ]);
  const read = await h.client.getReferral(referral.id);
  expect(read.eTag).toBe(accepted.eTag);
  expect(read.eTag).not.toBe(referral.eTag);
  // The partner's stale eTag now fails.
  expect(
    (
      await failureOf(
        h.client.patchReferral(referral.id, [{ op: "add", path: "/details/notes", value: "x" }], {
          ifMatch: referral.eTag,
        }),
      )
    ).status,
  ).toBe(412);
});

it("updates value, notes and close date, and sets the CRM id on its own", async () => {
  const { referral } = await h.client.createReferral(validReferral());
  const updated = await act(`PATCH /admin/referrals/${referral.id}/details`, {
    dealValue: 123,
    notes: "from Microsoft",
    closingDateTime: "2027-06-30T00:00:00Z",
  });
  expect(updated.details).toMatchObject({
    dealValue: 123,
    notes: "from Microsoft",
    closingDateTime: "2027-06-30T00:00:00Z",
    currency: "KRW",
  });
  const tracked = await act(`PUT /admin/referrals/${referral.id}/tracking`, { microsoftMsxId: "7-MSX-2" });
  expect(tracked.trackingInfo?.microsoftMsxId).toBe("7-MSX-2");
  expect((await h.admin("PATCH", `/admin/referrals/${referral.id}/details`, { currency: "XXY" })).status).toBe(400);
});

it("decline and close Won/Lost are terminal: a later Microsoft action is refused with 409", async () => {
  const a = (await h.client.createReferral(validReferral())).referral;
  const declined = await act(`/admin/referrals/${a.id}/decline`, { reason: "No capacity" });
  expect([declined.status, declined.substatus, declined.statusReason]).toEqual(["Closed", "Declined", "No capacity"]);
  expect(declined.closedDateTime).toBeDefined();
  expect((await h.admin("POST", `/admin/referrals/${a.id}/accept`)).status).toBe(409);
  const b = (await h.client.createReferral(validReferral())).referral;
  const won = await act(`/admin/referrals/${b.id}/close`, { outcome: "Won" });
  expect([won.status, won.substatus]).toEqual(["Closed", "Won"]);
  expect((await h.admin("POST", `/admin/referrals/${b.id}/close`, { outcome: "Lost" })).status).toBe(409);
  expect((await h.admin("POST", `/admin/referrals/${b.id}/close`, { outcome: "Maybe" })).status).toBe(400);
  expect((await h.admin("POST", "/admin/referrals/nope/accept")).status).toBe(404);
});

it("creates a Microsoft-initiated referral the partner then sees in its list", async () => {
  const { externalReferenceId: _e, status: _s, substatus: _ss, ...body } = validReferral();
  const inbound = await act("/admin/referrals", { ...body, name: "From Microsoft" });
  expect(inbound).toMatchObject({ status: "New", substatus: "Pending", direction: "Incoming", type: "Independent" });
  expect(inbound.inviteContext?.invitedBy?.organizationId).toBe("msft");
  const seen = (await h.client.listPage({ filter: "direction eq 'Incoming'" })).value.map((r) => r.id);
  expect(seen).toContain(inbound.id);
  expect((await h.admin("POST", "/admin/referrals", { name: "no customer" })).status).toBe(400);
});

it("config changes through the admin API are validated and take effect", async () => {
  expect((await h.admin("PATCH", "/admin/config", { throttle: { dailyQuota: -1 } })).status).toBe(400);
  expect((await h.admin("PATCH", "/admin/config", { faults: { errorRates: { abc: 0.5 } } })).status).toBe(400);
  expect((await h.admin("POST", "/admin/faults", { kind: "explode" })).status).toBe(400);
  const res = await h.admin("PATCH", "/admin/config", { newReferralStatus: "accepted" });
  expect(res.status).toBe(200);
  const { referral } = await h.client.createReferral(validReferral());
  expect(referral.status).toBe("Active");
  await h.admin("PATCH", "/admin/config", { newReferralStatus: "asSent" });
});

it("persists referrals, the registration and the signing chain to a file and loads them on restart", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "pc-emulator-")), "state.json");
  const first = await createPartnerCenterEmulator({ persistPath: path });
  const post = await fetch(`${first.baseUrl}/v1.0/engagements/referrals`, {
    method: "POST",
    headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
    body: JSON.stringify(validReferral()),
  });
  const created = (await post.json()) as Referral;
  await fetch(`${first.baseUrl}/webhooks/v1/registration`, {
    method: "POST",
    headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
    body: JSON.stringify({ WebhookUrl: "https://example.org/hook", WebhookEvents: ["referral-created"] }),
  });
  const root = first.trust.rootCertificatePem;
  await first.close();
  expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ version: 1, referrals: [{ id: created.id }] });

  const second = await createPartnerCenterEmulator({ persistPath: path });
  try {
    const read = await fetch(`${second.baseUrl}/v1.0/engagements/referrals/${created.id}`, {
      headers: { Authorization: "Bearer t" },
    });
    const body = (await read.json()) as Referral;
    expect([read.status, body.eTag, body.links?.self?.uri]).toEqual([
      200,
      created.eTag,
      `${second.baseUrl}/v1.0/engagements/referrals/${created.id}`,
    ]);
    const reg = await fetch(`${second.baseUrl}/webhooks/v1/registration`, { headers: { Authorization: "Bearer t" } });
    expect(await reg.json()).toMatchObject({ WebhookUrl: "https://example.org/hook" });
    expect(second.trust.rootCertificatePem).toBe(root);
  } finally {
    await second.close();
  }
});

it("npm run emulate:partner-center -- --port <n> prints its base URL and serves there", async () => {
  const probe = await createPartnerCenterEmulator({ signing: undefined });
  const port = Number(new URL(probe.baseUrl).port);
  await probe.close(); // a port that was free a moment ago
  const child = execFile(process.execPath, [
    require.resolve("tsx/cli"),
    join(__dirname, "../emulators/partner-center/cli.ts"),
    "--port",
    String(port),
  ]);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(line).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`${line}/v1.0/engagements/referrals`)).status).toBe(401);
  } finally {
    child.kill("SIGTERM");
  }
}, 15_000);
