import type { DynamicsWebApi } from "dynamics-web-api";

/**
 * Security roles of a Dataverse user (directly assigned; roles held through a team are not read, so a
 * customizer whose role comes from a team is reported missing: assign it directly or run setup as another admin).
 */

export const SETUP_ROLES = ["System Administrator", "System Customizer"] as const;
/** Roles that give the proxy's application user what it needs (write opportunities, act on behalf of sellers). */
export const INTEGRATION_ROLES = ["Co-sell Referral Sync Integration", "System Administrator"] as const;

export interface DataverseUser {
  systemUserId: string;
  fullName: string;
  disabled: boolean;
  roles: string[];
}

/** The caller (WhoAmI honours impersonation) with its roles: two requests. */
export async function currentUserWithRoles(api: DynamicsWebApi): Promise<DataverseUser> {
  const me = (await api.callFunction({ name: "WhoAmI" })) as { UserId: string };
  const user = (await api.retrieve({
    collection: "systemusers",
    key: me.UserId,
    select: ["fullname", "isdisabled"],
    expand: [{ property: "systemuserroles_association", select: ["name"] }],
  })) as Record<string, unknown>;
  const roles = ((user.systemuserroles_association as { name?: unknown }[] | undefined) ?? [])
    .map((r) => r.name)
    .filter((n): n is string => typeof n === "string");
  return {
    systemUserId: me.UserId,
    fullName: typeof user.fullname === "string" ? user.fullname : me.UserId,
    disabled: user.isdisabled === true,
    roles,
  };
}

export function holdsAny(user: DataverseUser, wanted: readonly string[]): string | null {
  return user.roles.find((r) => wanted.some((w) => w.toLowerCase() === r.toLowerCase())) ?? null;
}
