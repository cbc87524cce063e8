import type { DynamicsWebApi } from "dynamics-web-api";
import type { PartnerCenterEmulator } from "../emulators/partner-center/server";

/**
 * Everything a request to the proxy could change, read from both sides: Partner Center's referrals (with their
 * eTags) and its count of API calls, and in Dataverse every opportunity's row version, the opportunities,
 * accounts and contacts that exist, and the audit rows. Two equal readings mean the requests in between changed
 * nothing and spent no Partner Center call.
 */

export interface ObservableState {
  partnerCenterCalls: number;
  referrals: string[];
  opportunities: string[];
  accounts: number;
  contacts: number;
  auditRows: number;
}

type Row = Record<string, unknown>;

async function countOf(admin: DynamicsWebApi, collection: string, key: string): Promise<number> {
  const all = await admin.retrieveAll({ collection, select: [key] });
  return all.value.length;
}

export async function readObservableState(pc: PartnerCenterEmulator, admin: DynamicsWebApi): Promise<ObservableState> {
  const get = async (path: string) => (await fetch(`${pc.baseUrl}${path}`)).json() as Promise<unknown>;
  const quota = (await get("/admin/quota")) as { used: number };
  const referrals = ((await get("/admin/referrals")) as { value: { id: string; eTag?: string }[] }).value;
  const opportunities = (
    await admin.retrieveAll({ collection: "opportunities", select: ["opportunityid", "versionnumber"] })
  ).value as Row[];
  return {
    partnerCenterCalls: quota.used,
    referrals: referrals.map((r) => `${r.id} ${r.eTag ?? ""}`).sort(),
    opportunities: opportunities.map((o) => `${String(o.opportunityid)} v${String(o.versionnumber)}`).sort(),
    accounts: await countOf(admin, "accounts", "accountid"),
    contacts: await countOf(admin, "contacts", "contactid"),
    auditRows: await countOf(admin, "pcs_referralsyncaudits", "pcs_referralsyncauditid"),
  };
}
