import { PartnerCenterTransport, type TransportOptions } from "../partnerCenter/partnerCenterTransport";

/**
 * The Partner Center account roles of a user, from the account-management API on api.partnercenter.microsoft.com
 * (`GET /v1/roles`, `GET /v1/roles/{role_id}/usermembers`). These are not Referrals calls, so checking roles
 * never spends the daily Referrals budget. Role names are matched loosely ("Referrals admin" / "Referrals Admin").
 */

export const REFERRALS_ADMIN = "Referrals admin";
export const REFERRALS_USER = "Referrals user";

interface Collection {
  items?: unknown[];
}

const normal = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

export class PartnerCenterRolesClient {
  readonly transport: PartnerCenterTransport;

  constructor(options: TransportOptions) {
    this.transport = new PartnerCenterTransport(options);
  }

  /** Which of the referral roles (admin, user) the user holds; 1 call plus 1 per referral role. */
  async referralRolesOf(userPrincipalName: string): Promise<string[]> {
    const roles = await this.transport.send(
      { operation: "listRoles", method: "GET", path: "/v1/roles", repeatable: true, expect: [200] },
      {},
    );
    const items = ((roles.body as Collection | null)?.items ?? []) as { id?: unknown; name?: unknown }[];
    const wanted = [REFERRALS_ADMIN, REFERRALS_USER].map(normal);
    const held: string[] = [];
    for (const role of items) {
      if (typeof role.id !== "string" || typeof role.name !== "string" || !wanted.includes(normal(role.name))) continue;
      const members = await this.transport.send(
        {
          operation: "listRoleMembers",
          method: "GET",
          path: `/v1/roles/${encodeURIComponent(role.id)}/usermembers`,
          repeatable: true,
          expect: [200],
        },
        {},
      );
      const list = ((members.body as Collection | null)?.items ?? []) as { userPrincipalName?: unknown }[];
      if (
        list.some(
          (m) => typeof m.userPrincipalName === "string" && normal(m.userPrincipalName) === normal(userPrincipalName),
        )
      )
        held.push(role.name);
    }
    return held;
  }
}
