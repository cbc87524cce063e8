import type { FastifyInstance } from "fastify";
import { badRequest, notFound } from "./apiError";

/**
 * Partner Center account roles ("Manage account profiles" of the Partner Center REST API, on
 * api.partnercenter.microsoft.com): `GET /v1/roles` lists the partner's roles and
 * `GET /v1/roles/{role_id}/usermembers` the users who hold one, with the members' `id`, `displayName`,
 * `userPrincipalName` and `roleId` as the documented member body names them. Doctor reads them to tell whether the
 * integration user holds Referrals admin. They are account-management calls, not Referrals calls, so they are
 * not counted against the daily Referrals quota. Role ids and display names are the emulator's own (UNCERTAIN:
 * the real list was not captured; the role names follow the referrals docs, "Referrals admin"/"Referrals user").
 * `/admin/account/users` changes who holds which role, for tests and the sandbox.
 */

export const ACCOUNT_ROLES = [
  { id: "b6a8f1b0-0000-4000-8000-000000000001", name: "Account admin" },
  { id: "b6a8f1b0-0000-4000-8000-000000000002", name: "Referrals admin" },
  { id: "b6a8f1b0-0000-4000-8000-000000000003", name: "Referrals user" },
  { id: "b6a8f1b0-0000-4000-8000-000000000004", name: "Incentive admin" },
] as const;

export type AccountRoleName = (typeof ACCOUNT_ROLES)[number]["name"];

export interface AccountUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  roles: AccountRoleName[];
}

/** The default integration user of the emulated partner account: a Referrals admin. */
export const EMULATOR_INTEGRATION_USER: AccountUser = {
  id: "aad00000-0000-4000-8000-0000000000a1",
  userPrincipalName: "referrals-integration@contoso-partner.example",
  displayName: "Referrals integration",
  roles: ["Referrals admin"],
};

export class AccountDirectory {
  readonly users = new Map<string, AccountUser>();

  constructor(users: readonly AccountUser[] = [EMULATOR_INTEGRATION_USER]) {
    for (const u of users) this.users.set(u.userPrincipalName.toLowerCase(), { ...u, roles: [...u.roles] });
  }

  setRoles(userPrincipalName: string, roles: AccountRoleName[]): AccountUser {
    const user = this.users.get(userPrincipalName.toLowerCase());
    if (!user) throw notFound(`no user ${userPrincipalName} in this partner account`, "userPrincipalName");
    user.roles = [...roles];
    return user;
  }
}

const collection = (items: unknown[]) => ({
  totalCount: items.length,
  items,
  attributes: { objectType: "Collection" },
});

/** The API surface (registered in the api.partnercenter.microsoft.com scope: bearer token, faults). */
export function accountRoleRoutes(app: FastifyInstance, directory: AccountDirectory): void {
  app.get("/v1/roles", async () =>
    collection(ACCOUNT_ROLES.map((r) => ({ id: r.id, name: r.name, attributes: { objectType: "Role" } }))),
  );

  app.get<{ Params: { roleId: string } }>("/v1/roles/:roleId/usermembers", async (req) => {
    const role = ACCOUNT_ROLES.find((r) => r.id === req.params.roleId);
    if (!role) throw notFound(`no role ${req.params.roleId}`, "role_id");
    const members = [...directory.users.values()]
      .filter((u) => u.roles.includes(role.name))
      .map((u) => ({
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        roleId: role.id,
        attributes: { objectType: "UserMember" },
      }));
    return collection(members);
  });
}

/** Admin surface (no token): `PUT /admin/account/users/{upn}/roles {roles:[…]}`, `GET /admin/account/users`. */
export function accountAdminRoutes(app: FastifyInstance, directory: AccountDirectory): void {
  app.get("/admin/account/users", async () => ({ value: [...directory.users.values()] }));
  app.put<{ Params: { upn: string }; Body: unknown }>("/admin/account/users/:upn/roles", async (req) => {
    const roles = (req.body as { roles?: unknown } | null)?.roles;
    const known = ACCOUNT_ROLES.map((r) => r.name as string);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string" && known.includes(r))) {
      throw badRequest(`roles must be an array of ${known.join(", ")}`, "roles");
    }
    return directory.setRoles(req.params.upn, roles as AccountRoleName[]);
  });
}
