import {
  crmChangesOnto,
  evaluateReadiness,
  fingerprintDigests,
  fingerprintOf,
  fixHintKey,
  formatMessage,
  isRetryableCategory,
  mapToReferralCreate,
  parseFingerprint,
  planReferralPatch,
  projectReferral,
  projectSnapshot,
  serializeFingerprint,
  utcDateOf,
  type Fingerprint,
  type Language,
  type MessageKey,
  type MessageParams,
  type ReadinessFailure,
  type ReadinessReport,
  type Referral,
  type ReferenceData,
  type StatusPair,
  type SyncOutcome,
  type SyncResponse,
  type SyncState,
  type SyncTrigger,
} from "../../../domain";
import { countPartnerCenterCalls } from "./callCounting";
import type { OwnWriteRegistry } from "./ownWriteRegistry";
import { nextRetryAt, nextUtcDay, type RetryScheduleOptions } from "./retrySchedule";
import {
  isClassifiedFailure,
  type AuditEntry,
  type AuditSink,
  type OpportunityForSync,
  type OpportunitySyncStore,
  type QuotaLedger,
  type ReferralService,
  type SyncCallContext,
  type SyncWrite,
} from "./syncPorts";

/**
 * CRM → Partner Center (product-spec §5): readiness, quota, one idempotent create or one minimal PATCH with
 * If-Match, 412 answered by re-reading and re-planning once, failures classified and scheduled. Every attempt
 * ends in exactly one audit row and one conditional write of the opportunity's sync columns.
 */

export interface SyncEnvironment {
  referrals: ReferralService;
  store: OpportunitySyncStore;
  audit: AuditSink;
  quota: QuotaLedger;
  reference: ReferenceData;
  clock: () => Date;
  newCorrelationId: () => string;
  /** Link to a referral in the Partner Center portal. */
  referralLink: (referralId: string) => string;
  options: SyncOptions;
  /** This instance's recent Partner Center writes, so their webhooks cost no GET (see OwnWriteRegistry). */
  ownWrites?: OwnWriteRegistry;
}

export interface SyncOptions {
  dailyBudget: number;
  retry: RetryScheduleOptions;
  /** How long a create claim holds before another instance (or the retry worker) may take over. */
  claimTtlMs: number;
  /** Language of the texts written to the opportunity and the audit (the org's base language). */
  language: Language;
  /** How often a conditional write is re-read and repeated when the row changed meanwhile. */
  writeAttempts: number;
}

export const DEFAULT_SYNC_OPTIONS: Omit<SyncOptions, "retry"> = {
  dailyBudget: 10_000,
  claimTtlMs: 120_000,
  language: "en",
  writeAttempts: 5,
};

export interface OutboundRequest {
  opportunityId: string;
  trigger: SyncTrigger;
  /** The change that fired this sync was the proxy's own write (Dataverse webhook of an echo). */
  echo?: boolean;
}

/** Seller-initiated "Sync now" may still spend calls at the budget; everything else waits for the next day. */
const URGENT_TRIGGERS: ReadonlySet<SyncTrigger> = new Set(["sync-now"]);

class Attempt {
  readonly ctx: SyncCallContext;
  readonly now: Date;
  constructor(
    readonly env: SyncEnvironment,
    readonly request: OutboundRequest,
  ) {
    this.ctx = { correlationId: env.newCorrelationId(), meter: { calls: 0 } };
    this.now = env.clock();
  }

  text(key: MessageKey, params: MessageParams = {}): string {
    return formatMessage(key, this.env.options.language, params);
  }

  audit(
    entry: Omit<AuditEntry, "opportunityId" | "direction" | "trigger" | "apiCalls" | "correlationId" | "createdOn">,
  ) {
    return {
      opportunityId: this.request.opportunityId,
      direction: "CrmToPartnerCenter" as const,
      trigger: this.request.trigger,
      apiCalls: this.ctx.meter.calls,
      correlationId: this.ctx.correlationId,
      createdOn: this.now.toISOString(),
      ...entry,
    };
  }
}

function response(
  a: Attempt,
  outcome: SyncOutcome,
  syncState: SyncState,
  row: OpportunityForSync | null,
  extra: Partial<SyncResponse> = {},
): SyncResponse {
  const referralId = extra.referralId ?? row?.sync.referralId ?? null;
  return {
    outcome,
    syncState,
    referralId,
    referralLink: referralId ? a.env.referralLink(referralId) : null,
    apiCalls: a.ctx.meter.calls,
    correlationId: a.ctx.correlationId,
    failures: [],
    message: null,
    nextRetryOn: null,
    ...extra,
  };
}

const RECORD_FIELDS = [
  "state",
  "referralId",
  "referralEtag",
  "referralUpdatedOn",
  "fingerprint",
  "lastSyncError",
  "attempt",
  "nextRetryOn",
  "referralStatus",
  "referralSubstatus",
  "microsoftCrmId",
] as const;

/**
 * A write that would change nothing but the time of the last attempt is skipped. Every write fires the
 * opportunity's Dataverse webhook again, so writing "nothing changed" would answer each echo with another echo.
 */
export function changesAnything(sync: OpportunityForSync["sync"], changes: SyncWrite): boolean {
  const crmFields = ["description", "estimatedValue", "currencyCode", "estimatedCloseDate"] as const;
  if (crmFields.some((k) => changes[k] !== undefined)) return true;
  return RECORD_FIELDS.some((k) => changes[k] !== undefined && changes[k] !== sync[k]);
}

/** A conditional write that survives unrelated edits: on 412 it re-reads and writes the same sync columns again. */
async function writeSync(a: Attempt, row: OpportunityForSync, changes: SyncWrite): Promise<OpportunityForSync> {
  let current = row;
  for (let i = 0; i < a.env.options.writeAttempts; i++) {
    if (!changesAnything(current.sync, changes)) return current;
    const result = await a.env.store.write(a.request.opportunityId, current.rowEtag, changes);
    if (result.ok) return { ...current, rowEtag: result.rowEtag };
    const reread = await a.env.store.read(a.request.opportunityId);
    if (!reread)
      throw new Error(`Opportunity ${a.request.opportunityId} disappeared while its sync result was written.`);
    current = reread;
  }
  throw new Error(`Opportunity ${a.request.opportunityId} kept changing; the sync result could not be written.`);
}

const AUDIT_ATTEMPTS = 3;

async function recordAudit(a: Attempt, entry: AuditEntry): Promise<void> {
  let last: unknown = null;
  for (let i = 0; i < AUDIT_ATTEMPTS; i++) {
    try {
      await a.env.audit.record(entry);
      return;
    } catch (error) {
      last = error;
    }
  }
  // The sync itself stands; the missing row is reported where operators look.
  console.error(`audit row lost for ${entry.opportunityId} (${entry.correlationId}):`, last);
}

/** A write whose failure must not stop the audit row that follows it (it is rethrown after). */
async function settle<T>(write: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await write };
  } catch (error) {
    return { ok: false, error };
  }
}

function spendQuota(a: Attempt): Promise<void> {
  return countPartnerCenterCalls(
    a.env.quota,
    a.now,
    a.ctx.meter.calls,
    `${a.request.opportunityId}, ${a.ctx.correlationId}`,
  );
}

function firstFailureText(a: Attempt, failures: ReadinessFailure[]): string {
  return failures.map((f) => a.text(f.messageKey, f.params)).join("\n");
}

async function blocked(a: Attempt, row: OpportunityForSync, failures: ReadinessFailure[]): Promise<SyncResponse> {
  const message = firstFailureText(a, failures);
  await writeSync(a, row, {
    state: "Blocked",
    lastSyncOn: a.now.toISOString(),
    lastSyncError: message,
    nextRetryOn: null,
  });
  await recordAudit(
    a,
    a.audit({
      operation: "blocked",
      result: "blocked",
      httpStatus: null,
      errorCode: failures.map((f) => f.ruleId).join(","),
      message,
      fixHintKey: failures[0]?.messageKey ?? null,
      changedPaths: [],
      attempt: row.sync.attempt,
      nextRetryOn: null,
    }),
  );
  return response(a, "blocked", "Blocked", row, {
    failures,
    message: failures[0] ? { key: failures[0].messageKey, params: failures[0].params } : null,
  });
}

async function deferred(a: Attempt, row: OpportunityForSync): Promise<SyncResponse> {
  const next = nextUtcDay(a.now).toISOString();
  const params = { budget: a.env.options.dailyBudget, nextRetry: next };
  const message = a.text("sync.deferred", params);
  await writeSync(a, row, { state: "Deferred", lastSyncError: message, nextRetryOn: next });
  await recordAudit(
    a,
    a.audit({
      operation: row.sync.referralId ? "update" : "create",
      result: "deferred",
      httpStatus: null,
      errorCode: "quotaExhausted",
      message,
      fixHintKey: "sync.deferred",
      changedPaths: [],
      attempt: row.sync.attempt,
      nextRetryOn: next,
    }),
  );
  return response(a, "deferred", "Deferred", row, { message: { key: "sync.deferred", params }, nextRetryOn: next });
}

/** A failed Partner Center call: scheduled again when it can heal, shown as Error when the seller must act. */
async function failed(
  a: Attempt,
  row: OpportunityForSync,
  error: unknown,
  operation: "create" | "update",
): Promise<SyncResponse> {
  const f = isClassifiedFailure(error)
    ? error
    : { category: "transient" as const, message: error instanceof Error ? error.message : String(error) };
  const attempt = row.sync.attempt + (operation === "update" ? 1 : 0); // a create already counted its claim
  const retryable = isRetryableCategory(f.category) && attempt < a.env.options.retry.maxAttempts;
  const next = retryable ? nextRetryAt(a.now, attempt, f.retryAfterMs, a.env.options.retry).toISOString() : null;
  const key: MessageKey =
    retryable || !isRetryableCategory(f.category) ? fixHintKey(f.category) : "sync.retriesExhausted";
  const params = { detail: f.message, nextRetry: next ?? "", attempts: attempt };
  const message = a.text(key, params);
  const state: SyncState = retryable ? "Pending" : "Error";
  await spendQuota(a);
  const stateWrite = await settle(
    writeSync(a, row, {
      state,
      lastSyncOn: a.now.toISOString(),
      lastSyncError: message,
      attempt,
      nextRetryOn: next,
    }),
  );
  await recordAudit(
    a,
    a.audit({
      operation,
      result: "failed",
      httpStatus: f.status ?? null,
      errorCode: f.code ?? f.category,
      message,
      fixHintKey: key,
      changedPaths: [],
      attempt,
      nextRetryOn: next,
    }),
  );
  if (!stateWrite.ok) throw stateWrite.error;
  return response(a, retryable ? "retrying" : "failed", state, row, { message: { key, params }, nextRetryOn: next });
}

function statusOf(r: Referral): StatusPair | null {
  return r.status ? { status: r.status, substatus: r.substatus ?? "None" } : null;
}

function mirrorOf(r: Referral): SyncWrite {
  return {
    referralUpdatedOn: r.updatedDateTime ?? null,
    referralStatus: r.status && r.status !== "None" ? r.status : null,
    referralSubstatus: r.substatus && r.substatus !== "None" ? r.substatus : null,
    microsoftCrmId: r.trackingInfo?.microsoftMsxId?.trim() || null,
  };
}

async function create(
  a: Attempt,
  row: OpportunityForSync,
  readiness: ReadinessReport,
  depth: number,
): Promise<SyncResponse> {
  const mapped = mapToReferralCreate(row.snapshot, a.now, a.env.reference);
  if (!mapped.ok) return blocked(a, row, mapped.failures);

  // Claim the row: only the instance whose conditional write lands goes on. A crashed claimant's claim expires
  // (nextRetryOn), and the retry worker takes over from there.
  const previousAttempts = row.sync.attempt;
  const claimWrite = {
    state: "Pending" as const,
    lastSyncOn: a.now.toISOString(),
    lastSyncError: null,
    attempt: previousAttempts + 1,
    nextRetryOn: new Date(a.now.getTime() + a.env.options.claimTtlMs).toISOString(),
  };
  const claim = await a.env.store.write(a.request.opportunityId, row.rowEtag, claimWrite);
  if (!claim.ok) {
    const reread = await a.env.store.read(a.request.opportunityId);
    if (!reread) throw new OpportunityNotFound(a.request.opportunityId);
    return run(a, reread, depth + 1);
  }
  // The row as the claim left it: what the next write compares with (a write that changes nothing is skipped).
  const claimed: OpportunityForSync = { ...row, rowEtag: claim.rowEtag, sync: { ...row.sync, ...claimWrite } };

  let referral: Referral;
  let recovered = false;
  try {
    // An earlier attempt that did not finish may have created the referral: the client looks before posting.
    const created = await a.env.referrals.createReferral(mapped.body, a.ctx, { mayExist: previousAttempts > 0 });
    referral = created.referral;
    recovered = created.recovered;
    a.env.ownWrites?.remember(referral.id, referral.updatedDateTime);
  } catch (error) {
    return failed(a, claimed, error, "create");
  }

  // A recovered referral holds the body of the unfinished attempt, not necessarily today's opportunity: record
  // what Partner Center has, so an edit made in between is sent (below), not assumed delivered.
  const fingerprint = recovered ? fingerprintOf(projectReferral(referral)) : mapped.fingerprint;
  await spendQuota(a);
  const stateWrite = await settle(
    writeSync(a, claimed, {
      state: "Synced",
      referralId: referral.id,
      referralLink: a.env.referralLink(referral.id),
      referralEtag: referral.eTag ?? null,
      fingerprint,
      lastSyncOn: a.now.toISOString(),
      lastSyncError: null,
      attempt: 0,
      nextRetryOn: null,
      ...mirrorOf(referral),
    }),
  );
  await recordAudit(
    a,
    a.audit({
      operation: "create",
      result: "succeeded",
      httpStatus: null,
      errorCode: null,
      message: recovered
        ? `Referral ${referral.id} found after an unfinished attempt; not created again.`
        : `Referral ${referral.id} created.`,
      fixHintKey: null,
      changedPaths: [],
      attempt: claimed.sync.attempt,
      nextRetryOn: null,
    }),
  );
  // The referral exists and is audited; the row did not record it. The claim expires and the retry worker's
  // next attempt finds the referral (mayExist) instead of creating another.
  if (!stateWrite.ok) throw stateWrite.error;
  const written = stateWrite.value;
  if (fingerprint !== mapped.fingerprint) {
    const recorded: OpportunityForSync = {
      ...written,
      sync: {
        ...written.sync,
        ...mirrorOf(referral),
        state: "Synced",
        referralId: referral.id,
        referralEtag: referral.eTag ?? null,
        fingerprint,
        attempt: 0,
        nextRetryOn: null,
      },
    };
    const caughtUp = await update(a, recorded, referral.id, readiness);
    return { ...caughtUp, outcome: caughtUp.outcome === "updated" ? "created" : caughtUp.outcome };
  }
  return response(a, "created", "Synced", written, { referralId: referral.id });
}

async function update(
  a: Attempt,
  row: OpportunityForSync,
  referralId: string,
  readiness: ReadinessReport,
): Promise<SyncResponse> {
  let desired = projectSnapshot(row.snapshot, readiness);
  const mirror: StatusPair | null = row.sync.referralStatus
    ? { status: row.sync.referralStatus, substatus: row.sync.referralSubstatus ?? "None" }
    : null;

  try {
    // The fingerprint says what Partner Center holds; without a readable one, ask Partner Center.
    const parsed = parseFingerprint(row.sync.fingerprint);
    let remote: Referral | null = null;
    let base: Fingerprint;
    if (parsed.ok && parsed.fingerprint) {
      base = parsed.fingerprint;
    } else {
      remote = await a.env.referrals.getReferral(referralId, a.ctx);
      base = fingerprintDigests(projectReferral(remote));
    }
    let plan = planReferralPatch(base, desired, remote ? statusOf(remote) : mirror);
    let conflicted = false;
    let etag = remote?.eTag ?? row.sync.referralEtag ?? undefined;
    let after: Referral | null = remote;

    if (plan.operations.length > 0) {
      // Before anything reaches Partner Center, leave a retry on the row: if this instance dies or Dataverse fails
      // after the PATCH, the retry worker sends the change again (a repeat meets If-Match and re-plans to nothing).
      // Written as the caller when there is one, this is also the proof that they may change the opportunity.
      const retryOn = new Date(a.now.getTime() + a.env.options.claimTtlMs).toISOString();
      const marked = await a.env.store.write(a.request.opportunityId, row.rowEtag, {
        state: "Pending",
        lastSyncOn: a.now.toISOString(),
        nextRetryOn: retryOn,
      });
      if (marked.ok) {
        row = { ...row, rowEtag: marked.rowEtag, sync: { ...row.sync, state: "Pending", nextRetryOn: retryOn } };
      }
      try {
        after = await a.env.referrals.patchReferral(referralId, plan.operations, { ifMatch: etag }, a.ctx);
      } catch (error) {
        if (!(isClassifiedFailure(error) && error.category === "conflict" && error.status === 412)) throw error;
        // Someone (Microsoft) changed the referral since we last saw it: re-plan on top of its current state, but
        // send only what CRM changed since the last agreed state; a field only Microsoft changed keeps its value
        // and reaches CRM by the inbound merge.
        remote = await a.env.referrals.getReferral(referralId, a.ctx);
        etag = remote.eTag;
        conflicted = true;
        // The opportunity may have moved on too (another instance, a later save): plan from its current row, so a
        // stale read never sends an older CRM value over a newer one.
        const fresh = await a.env.store.read(a.request.opportunityId);
        const freshReadiness =
          fresh && evaluateReadiness(fresh.snapshot, { now: a.now, hasReferral: true, reference: a.env.reference });
        if (!fresh || !freshReadiness?.ready) throw error; // scheduled as a conflict; the retry starts afresh
        const freshBase = parseFingerprint(fresh.sync.fingerprint);
        if (freshBase.ok && freshBase.fingerprint) base = freshBase.fingerprint;
        desired = projectSnapshot(fresh.snapshot, freshReadiness);
        row = fresh;
        plan = planReferralPatch(
          fingerprintDigests(projectReferral(remote)),
          crmChangesOnto(projectReferral(remote), desired, base),
          statusOf(remote),
        );
        after =
          plan.operations.length > 0
            ? await a.env.referrals.patchReferral(referralId, plan.operations, { ifMatch: etag }, a.ctx)
            : remote;
      }
    }

    // After a conflict the webhook of this write must not be taken for a mere echo: Microsoft's change it carries
    // still has to reach CRM (the inbound merge), so it is neither remembered nor marked as seen below.
    if (plan.operations.length > 0 && after && !conflicted)
      a.env.ownWrites?.remember(referralId, after.updatedDateTime);

    // What Partner Center now holds for each path: the desired value, except where a change was refused.
    const refused = new Set(plan.refusals.map((r) => r.path));
    const desiredDigests = fingerprintDigests(desired);
    const next = Object.fromEntries(
      Object.entries(desiredDigests).map(([path, digest]) => [
        path,
        refused.has(path as never) ? base[path as keyof Fingerprint] : digest,
      ]),
    ) as Fingerprint;

    const refusal = plan.refusals[0];
    const message = refusal
      ? a.text(refusal.messageKey, refusal.params)
      : plan.unpatchable.length > 0
        ? a.text("patch.unpatchable", { fields: plan.unpatchable.join(", ") })
        : null;
    const sent = plan.operations.length > 0;
    await spendQuota(a);
    const written = await writeSync(a, row, {
      state: refusal ? "Error" : "Synced",
      referralEtag: after?.eTag ?? row.sync.referralEtag,
      fingerprint: serializeFingerprint(next),
      lastSyncOn: a.now.toISOString(),
      lastSyncError: refusal ? message : null,
      attempt: 0,
      nextRetryOn: null,
      ...(after ? mirrorOf(after) : {}),
      ...(conflicted ? { referralUpdatedOn: row.sync.referralUpdatedOn } : {}),
    });
    const operation = sent ? "update" : refusal ? "blocked" : a.request.echo ? "skip-echo" : "skip-no-change";
    await recordAudit(
      a,
      a.audit({
        operation,
        result: refusal ? "blocked" : "succeeded",
        httpStatus: null,
        errorCode: refusal ? refusal.messageKey : null,
        message,
        fixHintKey: refusal?.messageKey ?? null,
        changedPaths: plan.operations.map((o) => o.path),
        attempt: row.sync.attempt,
        nextRetryOn: null,
      }),
    );
    const outcome: SyncOutcome = refusal ? "failed" : sent ? "updated" : "unchanged";
    return response(a, outcome, refusal ? "Error" : "Synced", written, {
      message: refusal ? { key: refusal.messageKey, params: refusal.params } : null,
    });
  } catch (error) {
    return failed(a, row, error, "update");
  }
}

async function echoed(a: Attempt, row: OpportunityForSync): Promise<SyncResponse> {
  await recordAudit(
    a,
    a.audit({
      operation: "skip-echo",
      result: "succeeded",
      httpStatus: null,
      errorCode: null,
      message: null,
      fixHintKey: null,
      changedPaths: [],
      attempt: row.sync.attempt,
      nextRetryOn: null,
    }),
  );
  return response(a, "unchanged", row.sync.state ?? "NotSynced", row);
}

async function run(a: Attempt, row: OpportunityForSync, depth = 0): Promise<SyncResponse> {
  if (!row.sync.enabled) return response(a, "disabled", row.sync.state ?? "NotSynced", row);

  // The proxy's own write coming back: whatever it would send was already sent, or failed and is scheduled (or
  // waits for the seller). Sending again from an echo repeats doomed calls and, with an unfiltered step, loops.
  if (a.request.echo) return echoed(a, row);

  const referralId = row.sync.referralId;
  const readiness = evaluateReadiness(row.snapshot, {
    now: a.now,
    hasReferral: referralId !== null,
    reference: a.env.reference,
  });
  if (!readiness.ready) return blocked(a, row, readiness.failures);

  // A create claimed by another instance (or by this one, still running): its claim expires at nextRetryOn.
  const claimHeld =
    referralId === null &&
    row.sync.state === "Pending" &&
    row.sync.lastSyncError === null &&
    row.sync.nextRetryOn !== null &&
    Date.parse(row.sync.nextRetryOn) > a.now.getTime();
  if (claimHeld || depth >= a.env.options.writeAttempts) {
    return response(a, "busy", "Pending", row, { nextRetryOn: row.sync.nextRetryOn });
  }

  const budgetLeft = a.env.options.dailyBudget - (await a.env.quota.usedOn(utcDateOf(a.now)));
  if (budgetLeft <= 0 && !URGENT_TRIGGERS.has(a.request.trigger)) return deferred(a, row);

  return referralId ? update(a, row, referralId, readiness) : create(a, row, readiness, depth);
}

export async function syncToPartnerCenter(env: SyncEnvironment, request: OutboundRequest): Promise<SyncResponse> {
  const a = new Attempt(env, request);
  const row = await env.store.read(request.opportunityId);
  if (!row) throw new OpportunityNotFound(request.opportunityId);
  return run(a, row);
}

export class OpportunityNotFound extends Error {
  constructor(readonly opportunityId: string) {
    super(`Opportunity ${opportunityId} was not found, or the caller may not read it.`);
    this.name = "OpportunityNotFound";
  }
}
