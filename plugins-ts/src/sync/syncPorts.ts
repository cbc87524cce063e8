import type {
  AuditDirection,
  AuditOperation,
  AuditResult,
  CrmUpdate,
  FailureCategory,
  JsonPatchOperation,
  OpportunitySnapshot,
  Referral,
  ReferralCreateBody,
  ReferralStatus,
  ReferralSubstatus,
  SyncState,
  SyncTrigger,
} from "../../../domain";

/**
 * What the sync engine needs from the outside world, as small interfaces. The Partner Center client and the
 * Dataverse gateway implement them over HTTP; tests may implement them in memory. The engine keeps no state
 * of its own: everything durable lives behind OpportunitySyncStore, in Dataverse.
 */

/** Per-sync context handed to every Partner Center call: one correlation id, and a tally of HTTP calls made. */
export interface SyncCallContext {
  correlationId: string;
  meter: { calls: number };
}

/** Partner Center, as the engine uses it. `PartnerCenterClient` satisfies this structurally. */
export interface ReferralService {
  getReferral(id: string, ctx: SyncCallContext): Promise<Referral>;
  /** `mayExist`: an earlier attempt may have created it; look it up by externalReferenceId before posting. */
  createReferral(
    body: ReferralCreateBody,
    ctx: SyncCallContext,
    options?: { mayExist?: boolean },
  ): Promise<{ referral: Referral; recovered: boolean }>;
  patchReferral(
    id: string,
    operations: JsonPatchOperation[],
    options: { ifMatch?: string },
    ctx: SyncCallContext,
  ): Promise<Referral>;
}

/** A failure from any port, classified. PartnerCenterError has this shape. */
export interface ClassifiedFailure {
  category: FailureCategory;
  status?: number;
  code?: string;
  message: string;
  retryAfterMs?: number;
}

export function isClassifiedFailure(e: unknown): e is ClassifiedFailure {
  return typeof e === "object" && e !== null && typeof (e as ClassifiedFailure).category === "string";
}

/** The sync columns of an opportunity (product-spec §3). */
export interface SyncRecord {
  enabled: boolean;
  referralId: string | null;
  referralEtag: string | null;
  /** Partner Center's updatedDateTime of the referral when the proxy last read or wrote it. */
  referralUpdatedOn: string | null;
  fingerprint: string | null;
  state: SyncState | null;
  referralStatus: ReferralStatus | null;
  referralSubstatus: ReferralSubstatus | null;
  microsoftCrmId: string | null;
  lastSyncOn: string | null;
  lastSyncError: string | null;
  /** Consecutive attempts that did not finish; 0 after a success. */
  attempt: number;
  nextRetryOn: string | null;
}

export interface OpportunityForSync {
  snapshot: OpportunitySnapshot;
  sync: SyncRecord;
  /** @odata.etag of the opportunity row: every write of the engine is conditional on it. */
  rowEtag: string;
}

/** Columns the engine writes; absent members are left alone, null clears. */
export interface SyncWrite extends CrmUpdate {
  state?: SyncState;
  referralId?: string | null;
  referralLink?: string | null;
  referralEtag?: string | null;
  referralUpdatedOn?: string | null;
  fingerprint?: string | null;
  lastSyncOn?: string | null;
  lastSyncError?: string | null;
  attempt?: number;
  nextRetryOn?: string | null;
}

export type WriteResult = { ok: true; rowEtag: string } | { ok: false; reason: "conflict" };

export interface OpportunitySyncStore {
  /** null when the opportunity does not exist (or the caller may not see it). */
  read(opportunityId: string): Promise<OpportunityForSync | null>;
  /** The opportunity a referral belongs to: by externalReferenceId (our opportunity id), else by pcs_referralid. */
  findForReferral(referral: Referral): Promise<OpportunityForSync | null>;
  /**
   * A referral Microsoft started: create the opportunity (account matched by name + postal code, contact by
   * e-mail, else created), with sync on and the given sync columns. Returns the new opportunity id.
   */
  createFromReferral(referral: Referral, sync: SyncWrite): Promise<string>;
  /** One PATCH with If-Match: rowEtag. A stale etag gives {ok:false} and writes nothing. */
  write(opportunityId: string, rowEtag: string, changes: SyncWrite): Promise<WriteResult>;
  /** Opportunities with sync on whose pcs_nextretryon has come, oldest first. */
  listDueRetries(now: Date, limit: number): Promise<string[]>;
  /** Every opportunity with sync on, in a stable order, starting after `afterId` (for resumable backfill). */
  listSyncEnabled(afterId: string | null, limit: number): Promise<string[]>;
}

/** Small named values shared by all instances (the reconciliation watermark), with optimistic concurrency. */
export interface StateStore {
  read(name: string): Promise<{ value: string | null; etag: string } | null>;
  /** etag null: create; a stale etag gives {ok:false}. */
  write(
    name: string,
    value: string,
    etag: string | null,
  ): Promise<{ ok: true; etag: string } | { ok: false; reason: "conflict" }>;
}

export type { AuditDirection, AuditOperation, AuditResult };

/** One row of pcs_referralsyncaudit (product-spec §3). */
export interface AuditEntry {
  opportunityId: string;
  direction: AuditDirection;
  trigger: SyncTrigger;
  operation: AuditOperation;
  result: AuditResult;
  httpStatus: number | null;
  errorCode: string | null;
  message: string | null;
  fixHintKey: string | null;
  apiCalls: number;
  changedPaths: string[];
  attempt: number;
  nextRetryOn: string | null;
  correlationId: string;
  createdOn: string;
}

export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

/** Partner Center calls spent per UTC day, shared by all instances. */
export interface QuotaLedger {
  usedOn(utcDay: string): Promise<number>;
  add(utcDay: string, calls: number): Promise<void>;
}
