import type { DynamicsWebApi } from "dynamics-web-api";
import {
  choiceName,
  REFERRAL_STATUS_VALUES,
  REFERRAL_SUBSTATUS_VALUES,
  SYNC_STATE_VALUES,
  type Referral,
} from "../../domain";
import type { PartnerCenterEmulator } from "../emulators/partner-center/server";
import type { FinalOpportunity, FinalReferral } from "./invariantChecker";

/** Reads both sides as the invariant checker compares them: Dataverse through its Web API, Partner Center's store. */

type Row = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const number = (v: unknown): number | null => (typeof v === "number" ? v : null);

export async function readOpportunities(admin: DynamicsWebApi): Promise<FinalOpportunity[]> {
  const rows = (
    await admin.retrieveAll({
      collection: "opportunities",
      select: [
        "opportunityid",
        "pcs_syncwithpartnercenter",
        "pcs_syncstate",
        "pcs_lastsyncerror",
        "pcs_nextretryon",
        "pcs_referralid",
        "estimatedvalue",
        "estimatedclosedate",
        "description",
        "pcs_referralstatus",
        "pcs_referralsubstatus",
        "pcs_microsoftcrmid",
      ],
    })
  ).value as Row[];
  return rows.map((r) => ({
    opportunityId: String(r.opportunityid).toLowerCase(),
    syncOn: r.pcs_syncwithpartnercenter === true,
    syncState: choiceName(SYNC_STATE_VALUES, number(r.pcs_syncstate)),
    lastSyncError: text(r.pcs_lastsyncerror),
    nextRetryOn: text(r.pcs_nextretryon),
    referralId: text(r.pcs_referralid),
    value: number(r.estimatedvalue),
    closeDate: text(r.estimatedclosedate)?.slice(0, 10) ?? null,
    notes: text(r.description),
    referralStatus: choiceName(REFERRAL_STATUS_VALUES, number(r.pcs_referralstatus)),
    referralSubstatus: choiceName(REFERRAL_SUBSTATUS_VALUES, number(r.pcs_referralsubstatus)),
    microsoftCrmId: text(r.pcs_microsoftcrmid),
  }));
}

export function finalReferral(r: Referral): FinalReferral {
  return {
    id: r.id,
    externalReferenceId: r.externalReferenceId ?? null,
    direction: r.direction ?? null,
    status: r.status && r.status !== "None" ? r.status : null,
    substatus: r.substatus && r.substatus !== "None" ? r.substatus : null,
    microsoftCrmId: r.trackingInfo?.microsoftMsxId?.trim() || null,
    value: r.details?.dealValue ?? null,
    closeDate: r.details?.closingDateTime?.slice(0, 10) ?? null,
    notes: r.details?.notes ?? null,
  };
}

export async function readReferrals(pc: PartnerCenterEmulator): Promise<FinalReferral[]> {
  const res = await fetch(`${pc.baseUrl}/admin/referrals`);
  if (!res.ok) throw new Error(`Partner Center emulator's admin list answered ${res.status}.`);
  return ((await res.json()) as { value: Referral[] }).value.map(finalReferral);
}

export async function readAuditCorrelationIds(admin: DynamicsWebApi): Promise<{ ids: Set<string>; rows: number }> {
  const rows = (await admin.retrieveAll({ collection: "pcs_referralsyncaudits", select: ["pcs_correlationid"] }))
    .value as Row[];
  return { ids: new Set(rows.map((r) => String(r.pcs_correlationid))), rows: rows.length };
}
