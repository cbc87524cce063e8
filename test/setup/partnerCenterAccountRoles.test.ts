import { ACCOUNT_ROLES, EMULATOR_INTEGRATION_USER } from "../emulators/partner-center/accountRoles";
import { createPartnerCenterEmulator, type PartnerCenterEmulator } from "../emulators/partner-center/server";
import { StaticTokenProvider } from "../../plugins-ts/src/partnerCenter/tokenProvider";
import { PartnerCenterRolesClient } from "../../plugins-ts/src/setup/partnerCenterRoles";

/** The emulator's account roles API (GET /v1/roles, /v1/roles/{id}/usermembers) and the client doctor uses. */

let pc: PartnerCenterEmulator;
const quotaUsed = async () => ((await (await fetch(`${pc.baseUrl}/admin/quota`)).json()) as { used: number }).used;
const get = (path: string, token?: string) =>
  fetch(`${pc.baseUrl}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

beforeAll(async () => {
  pc = await createPartnerCenterEmulator({
    accountUsers: [
      EMULATOR_INTEGRATION_USER,
      { id: "u2", userPrincipalName: "seller@contoso.example", displayName: "Seller", roles: ["Referrals user"] },
    ],
  });
}, 30_000);
afterAll(() => pc.close());

describe("Partner Center emulator: account roles", () => {
  it("needs a bearer token", async () => {
    expect((await get("/v1/roles")).status).toBe(401);
  });

  it("lists the roles and each role's members as a ResourceCollection", async () => {
    const roles = (await (await get("/v1/roles", "t")).json()) as {
      totalCount: number;
      items: { id: string; name: string }[];
    };
    expect(roles.items.map((r) => r.name)).toEqual(ACCOUNT_ROLES.map((r) => r.name));
    expect(roles.totalCount).toBe(ACCOUNT_ROLES.length);
    const user = ACCOUNT_ROLES.find((r) => r.name === "Referrals user")!;
    const members = (await (await get(`/v1/roles/${user.id}/usermembers`, "t")).json()) as {
      items: { userPrincipalName: string; roleId: string }[];
    };
    expect(members.items).toEqual([
      expect.objectContaining({ userPrincipalName: "seller@contoso.example", roleId: user.id }),
    ]);
    expect((await get("/v1/roles/00000000-0000-0000-0000-000000000000/usermembers", "t")).status).toBe(404);
  });

  it("does not count against the daily Referrals quota", async () => {
    const before = await quotaUsed();
    const client = new PartnerCenterRolesClient({ baseUrl: pc.baseUrl, tokenProvider: new StaticTokenProvider("t") });
    expect(await client.referralRolesOf(EMULATOR_INTEGRATION_USER.userPrincipalName.toUpperCase())).toEqual([
      "Referrals admin",
    ]);
    expect(await client.referralRolesOf("seller@contoso.example")).toEqual(["Referrals user"]);
    expect(await client.referralRolesOf("nobody@contoso.example")).toEqual([]);
    expect(await quotaUsed()).toBe(before);
  });

  it("the admin API changes roles and refuses unknown ones", async () => {
    const put = (upn: string, body: unknown) =>
      fetch(`${pc.baseUrl}/admin/account/users/${encodeURIComponent(upn)}/roles`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await put("seller@contoso.example", { roles: ["Referrals admin"] })).status).toBe(200);
    const client = new PartnerCenterRolesClient({ baseUrl: pc.baseUrl, tokenProvider: new StaticTokenProvider("t") });
    expect(await client.referralRolesOf("seller@contoso.example")).toEqual(["Referrals admin"]);
    const bad = await put("seller@contoso.example", { roles: ["Global admin"] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { target: string } }).error.target).toBe("roles");
    expect((await put("nobody@contoso.example", { roles: [] })).status).toBe(404);
  });
});
