import { existsSync, readFileSync } from "node:fs";
import { SEED } from "../dataverse/fixture";
import { ARTIFACTS, controlFile } from "./builtArtifacts";
import { startSandbox, type Sandbox } from "./sandbox";

/** The sandbox web server over real HTTP: pages, built files, and Dataverse forwarding as the chosen user. */

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ stateDir: null, log: () => undefined });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${sandbox.webUrl}${path}`, init);
const asUser = (user: string) => ({ Cookie: `pcs_sandbox_user=${user}` });

test("the list shows every opportunity the user can read, each linking to its form", async () => {
  const adminRows = (await (
    await fetch(`${sandbox.dataverse.apiUrl}opportunities?$select=name,opportunityid`, {
      headers: { Authorization: "Bearer t" },
    })
  ).json()) as { value: { name: string; opportunityid: string }[] };
  const html = await (await get("/", { headers: asUser("emily") })).text();
  expect(adminRows.value.length).toBeGreaterThan(0);
  for (const row of adminRows.value) {
    expect(html).toContain(`href="/opportunity/${row.opportunityid}"`);
  }
  expect(html).toMatch(/Ready to share/);
  expect(html).toMatch(/Not ready: \d+ fix/);
});

test("a bad id or an unknown user is refused with a specific message", async () => {
  const bad = await get("/opportunity/not-a-guid");
  expect(bad.status).toBe(400);
  expect(await bad.text()).toBe("'not-a-guid' is not an opportunity id (a GUID).");
  const mallory = await get("/?user=mallory");
  expect(mallory.status).toBe(400);
  expect(await mallory.text()).toMatch(/^Unknown sandbox user 'mallory'/);
});

test("the switches persist as cookies", async () => {
  const answer = await get(`/opportunity/${SEED.opportunities.hanbitReady}?user=daniel&lang=1042`);
  expect(answer.headers.getSetCookie()).toEqual([
    "pcs_sandbox_user=daniel; Path=/; SameSite=Lax",
    "pcs_sandbox_lang=1042; Path=/; SameSite=Lax",
  ]);
  expect(await answer.text()).toContain('<html lang="ko">');
});

test("write access is the emulator's own answer for the chosen user", async () => {
  const access = async (user: string, id: string) =>
    (await (await get(`/sandbox/access/opportunity/${id}`, { headers: asUser(user) })).json()) as {
      canWrite: boolean;
      reason: string | null;
    };
  expect(await access("emily", SEED.opportunities.hanbitReady)).toEqual({ canWrite: true, reason: null });
  const daniel = await access("daniel", SEED.opportunities.hanbitReady);
  expect(daniel.canWrite).toBe(false);
  expect(daniel.reason).toMatch(/privilege|AccessCheck/);
  expect((await get(`/sandbox/access/opportunity/${SEED.accounts.contoso}`)).status).toBe(404);
});

test("the Web API is forwarded as the chosen user: the emulator enforces that user's privileges", async () => {
  const patch = (user: string) =>
    get(`/api/data/v9.2/opportunities(${SEED.opportunities.hanbitReady})`, {
      method: "PATCH",
      headers: { ...asUser(user), "Content-Type": "application/json", "If-Match": "*" },
      body: JSON.stringify({ description: `edited by ${user}` }),
    });
  expect((await patch("daniel")).status).toBe(403);
  expect((await patch("emily")).status).toBe(204);
  const row = (await (
    await get(`/api/data/v9.2/opportunities(${SEED.opportunities.hanbitReady})?$select=description,_modifiedby_value`, {
      headers: asUser("daniel"),
    })
  ).json()) as { description: string; _modifiedby_value: string };
  expect(row.description).toBe("edited by emily");
  expect(row._modifiedby_value).toBe(SEED.users.emily);
});

test("absolute URLs of the emulator in answers point back at the page's origin", async () => {
  const answer = await get("/api/data/v9.2/opportunities?$select=name", {
    headers: { ...asUser("emily"), Prefer: "odata.maxpagesize=2" },
  });
  const body = (await answer.json()) as { "@odata.nextLink"?: string; "@odata.context"?: string };
  expect(body["@odata.nextLink"]?.startsWith(`${sandbox.webUrl}/api/data/v9.2/`)).toBe(true);
  expect(JSON.stringify(body)).not.toContain(sandbox.dataverseUrl);
});

test("the pages host the built files themselves, and nothing outside them", async () => {
  for (const [path, file] of [
    ["/controls/SyncToggle/bundle.js", controlFile("SyncToggle", "bundle.js")],
    ["/controls/SyncStatusPanel/ControlManifest.xml", controlFile("SyncStatusPanel", "ControlManifest.xml")],
    ["/WebResources/pcs_/scripts/opportunityForm.js", ARTIFACTS.formScript],
  ] as const) {
    const answer = await get(path);
    if (existsSync(file)) {
      expect(answer.status).toBe(200);
      expect(Buffer.from(await answer.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    } else {
      expect(answer.status).toBe(404);
    }
  }
  expect((await get("/controls/SyncToggle/../../package.json")).status).toBe(404);
  expect((await get("/controls/Other/bundle.js")).status).toBe(404);
  expect((await get("/WebResources/..%2f..%2fpackage.json")).status).toBe(404);
  expect((await get("/vendor/react.js")).headers.get("content-type")).toMatch(/javascript/);
});

test("the Microsoft page reaches the Partner Center emulator's admin API", async () => {
  const answer = await get("/pc-admin/referrals");
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { value: unknown[] }).value).toEqual([]);
});
