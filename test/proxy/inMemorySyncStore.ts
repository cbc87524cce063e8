import type { OpportunitySnapshot, Referral } from "../../domain";
import { DEFAULT_SYNC_OPTIONS, type SyncEnvironment } from "../../plugins-ts/src/sync/outboundSync";
import { DEFAULT_RETRY_SCHEDULE } from "../../plugins-ts/src/sync/retrySchedule";
import { NOW, REFERENCE } from "../domain/fixtures";
import type {
  AuditEntry,
  AuditSink,
  OpportunityForSync,
  OpportunitySyncStore,
  QuotaLedger,
  StateStore,
  SyncRecord,
  SyncWrite,
  WriteResult,
} from "../../plugins-ts/src/sync/syncPorts";

/**
 * The engine's Dataverse port in memory, with Dataverse's optimistic concurrency: every write needs the
 * current row etag and changes it. Tests simulate a seller's save with `userSave`.
 */
export class InMemorySyncStore implements OpportunitySyncStore {
  private rows = new Map<string, OpportunityForSync>();
  private version = 1;
  writes: { id: string; changes: SyncWrite }[] = [];

  put(snapshot: OpportunitySnapshot, sync: Partial<SyncRecord> = {}): void {
    this.rows.set(snapshot.id.toLowerCase(), {
      snapshot,
      sync: {
        enabled: true,
        referralId: null,
        referralEtag: null,
        referralUpdatedOn: null,
        fingerprint: null,
        state: "NotSynced",
        referralStatus: null,
        referralSubstatus: null,
        microsoftCrmId: null,
        lastSyncOn: null,
        lastSyncError: null,
        attempt: 0,
        nextRetryOn: null,
        ...sync,
      },
      rowEtag: `W/"${this.version++}"`,
    });
  }

  get(id: string): OpportunityForSync {
    const row = this.rows.get(id.toLowerCase());
    if (!row) throw new Error(`no row ${id}`);
    return structuredClone(row);
  }

  /** A seller saves the form: the snapshot changes, and so does the row etag. */
  userSave(id: string, edit: (s: OpportunitySnapshot) => void): void {
    const row = this.get(id);
    edit(row.snapshot);
    this.rows.set(id.toLowerCase(), { ...row, rowEtag: `W/"${this.version++}"` });
  }

  async read(id: string): Promise<OpportunityForSync | null> {
    return this.rows.has(id.toLowerCase()) ? this.get(id) : null;
  }

  async findForReferral(referral: Referral): Promise<OpportunityForSync | null> {
    for (const row of this.rows.values()) {
      if (row.snapshot.id.toLowerCase() === (referral.externalReferenceId ?? "").toLowerCase())
        return this.get(row.snapshot.id);
      if (row.sync.referralId === referral.id) return this.get(row.snapshot.id);
    }
    return null;
  }

  created: { referral: Referral; sync: SyncWrite }[] = [];
  async createFromReferral(referral: Referral, sync: SyncWrite): Promise<string> {
    this.created.push({ referral, sync });
    return `created-from-${referral.id}`;
  }

  async listDueRetries(now: Date, limit: number): Promise<string[]> {
    return [...this.rows.values()]
      .filter((r) => r.sync.enabled && r.sync.nextRetryOn !== null && Date.parse(r.sync.nextRetryOn) <= now.getTime())
      .sort((a, b) => Date.parse(a.sync.nextRetryOn!) - Date.parse(b.sync.nextRetryOn!))
      .slice(0, limit)
      .map((r) => r.snapshot.id);
  }

  async listSyncEnabled(afterId: string | null, limit: number): Promise<string[]> {
    return [...this.rows.values()]
      .filter((r) => r.sync.enabled)
      .map((r) => r.snapshot.id)
      .sort()
      .filter((id) => afterId === null || id > afterId)
      .slice(0, limit);
  }

  async write(id: string, rowEtag: string, changes: SyncWrite): Promise<WriteResult> {
    const row = this.rows.get(id.toLowerCase());
    if (!row || row.rowEtag !== rowEtag) return { ok: false, reason: "conflict" };
    this.writes.push({ id, changes: structuredClone(changes) });
    const sync = { ...row.sync };
    const snapshot = { ...row.snapshot };
    for (const key of [
      "state",
      "referralId",
      "referralEtag",
      "referralUpdatedOn",
      "fingerprint",
      "lastSyncOn",
      "lastSyncError",
      "attempt",
      "nextRetryOn",
      "referralStatus",
      "referralSubstatus",
      "microsoftCrmId",
    ] as const) {
      if (changes[key] !== undefined) (sync as Record<string, unknown>)[key] = changes[key];
    }
    if (changes.estimatedValue !== undefined) snapshot.estimatedValue = changes.estimatedValue;
    if (changes.description !== undefined) snapshot.description = changes.description;
    if (changes.estimatedCloseDate !== undefined) snapshot.estimatedCloseDate = changes.estimatedCloseDate;
    if (changes.currencyCode !== undefined)
      snapshot.currency = { id: `c-${changes.currencyCode}`, isoCode: changes.currencyCode, name: null };
    const next = `W/"${this.version++}"`;
    this.rows.set(id.toLowerCase(), { snapshot, sync, rowEtag: next });
    return { ok: true, rowEtag: next };
  }
}

export class InMemoryAudit implements AuditSink {
  entries: AuditEntry[] = [];
  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
}

export class InMemoryQuota implements QuotaLedger {
  days = new Map<string, number>();
  async usedOn(day: string): Promise<number> {
    return this.days.get(day) ?? 0;
  }
  async add(day: string, calls: number): Promise<void> {
    this.days.set(day, (this.days.get(day) ?? 0) + calls);
  }
}

export class InMemoryState implements StateStore {
  values = new Map<string, { value: string; etag: string }>();
  private version = 0;
  async read(name: string) {
    return this.values.get(name) ?? null;
  }
  async write(name: string, value: string, etag: string | null) {
    const current = this.values.get(name);
    if ((current?.etag ?? null) !== etag) return { ok: false as const, reason: "conflict" as const };
    const next = { value, etag: `W/"${++this.version}"` };
    this.values.set(name, next);
    return { ok: true as const, etag: next.etag };
  }
}

let correlation = 0;

/** The engine's environment for tests: the given parts, fixed clock and reference data, in-memory ports otherwise. */
export function testSyncEnvironment(
  parts: Pick<SyncEnvironment, "referrals"> & Partial<SyncEnvironment>,
): SyncEnvironment {
  return {
    store: new InMemorySyncStore(),
    audit: new InMemoryAudit(),
    quota: new InMemoryQuota(),
    reference: REFERENCE,
    clock: () => NOW,
    newCorrelationId: () => `corr-${++correlation}`,
    referralLink: (id) => `https://partner.example/referrals/${id}`,
    options: { ...DEFAULT_SYNC_OPTIONS, retry: DEFAULT_RETRY_SCHEDULE },
    ...parts,
  };
}
