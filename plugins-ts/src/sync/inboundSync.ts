import {
  formatMessage,
  mergeInbound,
  parseFingerprint,
  projectReferral,
  projectSnapshot,
  fingerprintOf,
  isNoNewerThan,
  normalizeUtcInstant,
  type InboundMerge,
  type Referral,
  type SyncResponse,
  type SyncTrigger,
} from "../../../domain";
import { countPartnerCenterCalls } from "./callCounting";
import { syncToPartnerCenter, type SyncEnvironment } from "./outboundSync";
import type { AuditEntry, OpportunityForSync, SyncCallContext, SyncWrite } from "./syncPorts";

/**
 * Partner Center → CRM (product-spec §5): read the referral, apply what Partner Center owns or won under the
 * field-ownership rules, and write the new fingerprint in the same conditional write. The Dataverse change
 * this causes then projects to exactly that fingerprint, so it never turns into a Partner Center call.
 */

export interface InboundRequest {
  referralId: string;
  trigger: Extract<SyncTrigger, "pc-webhook" | "reconcile" | "backfill">;
  /** The referral when the caller already read it (reconciliation lists them), saving a GET. */
  referral?: Referral;
  /** The webhook's ResourceChangeUtcDate: a change no newer than what the proxy last saw needs no GET. */
  changedAt?: string;
}

export interface InboundResult {
  outcome: "applied" | "unchanged" | "echo" | "created-opportunity" | "ignored";
  opportunityId: string | null;
  apiCalls: number;
  correlationId: string;
  /** CRM-won values that were sent back to Partner Center afterwards, if any. */
  followUp: SyncResponse | null;
}

function describe(merge: InboundMerge): string[] {
  const changed = Object.keys(merge.crmUpdate);
  const decisions = merge.decisions.map(
    (d) => `${d.path}: ${d.winner === "crm" ? "CRM" : "Partner Center"} kept (${d.reason})`,
  );
  return [...changed.map((c) => `set ${c}`), ...decisions];
}

export async function applyFromPartnerCenter(env: SyncEnvironment, request: InboundRequest): Promise<InboundResult> {
  const ctx: SyncCallContext = { correlationId: env.newCorrelationId(), meter: { calls: 0 } };
  const now = env.clock();
  // The webhook of the proxy's own write: the create or PATCH answer already told it this state.
  if (!request.referral && normalizeUtcInstant(request.changedAt) !== null) {
    const ownWrite = env.ownWrites?.covers(request.referralId, request.changedAt) ?? false;
    const known = await env.store.findForReferral({ id: request.referralId });
    if (ownWrite && !known) {
      // Our create, answered by Partner Center before the opportunity recorded the referral id.
      return { outcome: "echo", opportunityId: null, apiCalls: 0, correlationId: ctx.correlationId, followUp: null };
    }
    if (known && (ownWrite || isNoNewerThan(request.changedAt, known.sync.referralUpdatedOn))) {
      await env.audit.record({
        opportunityId: known.snapshot.id,
        direction: "PartnerCenterToCrm",
        trigger: request.trigger,
        operation: "skip-echo",
        result: "succeeded",
        httpStatus: null,
        errorCode: null,
        message: null,
        fixHintKey: null,
        apiCalls: 0,
        changedPaths: [],
        attempt: 0,
        nextRetryOn: null,
        correlationId: ctx.correlationId,
        createdOn: now.toISOString(),
      });
      return {
        outcome: "echo",
        opportunityId: known.snapshot.id,
        apiCalls: 0,
        correlationId: ctx.correlationId,
        followUp: null,
      };
    }
  }
  const referral = request.referral ?? (await env.referrals.getReferral(request.referralId, ctx));
  const spend = () => countPartnerCenterCalls(env.quota, now, ctx.meter.calls, `referral ${request.referralId}`);
  const auditOf = (opportunityId: string, entry: Partial<AuditEntry>): AuditEntry => ({
    opportunityId,
    direction: "PartnerCenterToCrm",
    trigger: request.trigger,
    operation: "update",
    result: "succeeded",
    httpStatus: null,
    errorCode: null,
    message: null,
    fixHintKey: null,
    apiCalls: ctx.meter.calls,
    changedPaths: [],
    attempt: 0,
    nextRetryOn: null,
    correlationId: ctx.correlationId,
    createdOn: now.toISOString(),
    ...entry,
  });

  let row: OpportunityForSync | null = await env.store.findForReferral(referral);
  if (!row) {
    // Referrals we did not create, other than Microsoft's, are not ours to import.
    if (referral.inviteContext?.invitedBy?.organizationId !== "msft" && referral.direction !== "Incoming") {
      await spend();
      return {
        outcome: "ignored",
        opportunityId: null,
        apiCalls: ctx.meter.calls,
        correlationId: ctx.correlationId,
        followUp: null,
      };
    }
    const opportunityId = await env.store.createFromReferral(referral, {
      state: "Synced",
      referralId: referral.id,
      referralLink: env.referralLink(referral.id),
      referralEtag: referral.eTag ?? null,
      referralUpdatedOn: referral.updatedDateTime ?? null,
      fingerprint: fingerprintOf(projectReferral(referral)),
      referralStatus: referral.status && referral.status !== "None" ? referral.status : null,
      referralSubstatus: referral.substatus && referral.substatus !== "None" ? referral.substatus : null,
      microsoftCrmId: referral.trackingInfo?.microsoftMsxId?.trim() || null,
      lastSyncOn: now.toISOString(),
      attempt: 0,
    });
    await spend();
    await env.audit.record(
      auditOf(opportunityId, {
        operation: "create",
        message: `Opportunity created from Microsoft's referral ${referral.id}.`,
      }),
    );
    return {
      outcome: "created-opportunity",
      opportunityId,
      apiCalls: ctx.meter.calls,
      correlationId: ctx.correlationId,
      followUp: null,
    };
  }

  for (let i = 0; i < env.options.writeAttempts; i++) {
    const s = row.snapshot;
    const codes = {
      countryCode: ((r) => (r.ok ? r.code : null))(env.reference.resolveCountry(s.account?.address.country)),
      currencyCode: ((r) => (r.ok ? r.code : null))(env.reference.validateCurrency(s.currency?.isoCode)),
    };
    const parsed = parseFingerprint(row.sync.fingerprint);
    const merge = mergeInbound({
      base: parsed.ok ? parsed.fingerprint : null,
      crm: projectSnapshot(s, codes),
      crmModifiedOn: s.modifiedOn,
      mirror: {
        referralStatus: row.sync.referralStatus,
        referralSubstatus: row.sync.referralSubstatus,
        microsoftCrmId: row.sync.microsoftCrmId,
      },
      opportunityState: s.state,
      referral,
    });
    const notice =
      merge.statusChanged && merge.statusEffect.notice
        ? formatMessage(merge.statusEffect.notice.messageKey, env.options.language, merge.statusEffect.notice.params)
        : null;
    const nothingNew =
      Object.keys(merge.crmUpdate).length === 0 &&
      merge.fingerprint === row.sync.fingerprint &&
      referral.eTag === row.sync.referralEtag &&
      (referral.updatedDateTime ?? null) === row.sync.referralUpdatedOn;
    if (nothingNew) {
      await spend();
      await env.audit.record(auditOf(s.id, { operation: "skip-no-change" }));
      return {
        outcome: "unchanged",
        opportunityId: s.id,
        apiCalls: ctx.meter.calls,
        correlationId: ctx.correlationId,
        followUp: null,
      };
    }
    const write: SyncWrite = {
      ...merge.crmUpdate,
      fingerprint: merge.fingerprint,
      referralEtag: referral.eTag ?? null,
      referralUpdatedOn: referral.updatedDateTime ?? null,
      lastSyncOn: now.toISOString(),
      ...(notice ? { lastSyncError: notice } : {}),
    };
    const result = await env.store.write(s.id, row.rowEtag, write);
    if (result.ok) {
      await spend();
      await env.audit.record(
        auditOf(s.id, {
          changedPaths: describe(merge),
          message: notice,
          fixHintKey: notice ? merge.statusEffect.notice!.messageKey : null,
        }),
      );
      // CRM values that won but Partner Center lacks go out now, as a normal CRM → Partner Center update.
      const followUp =
        merge.pendingForPartnerCenter.length > 0 && row.sync.enabled
          ? await syncToPartnerCenter(env, { opportunityId: s.id, trigger: request.trigger })
          : null;
      return {
        outcome: "applied",
        opportunityId: s.id,
        apiCalls: ctx.meter.calls,
        correlationId: ctx.correlationId,
        followUp,
      };
    }
    const reread = await env.store.read(s.id);
    if (!reread) throw new Error(`Opportunity ${s.id} disappeared while Partner Center's changes were applied.`);
    row = reread;
  }
  throw new Error(`Opportunity ${row.snapshot.id} kept changing; Partner Center's changes could not be applied.`);
}
