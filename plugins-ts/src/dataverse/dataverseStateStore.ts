import type { QuotaLedger, StateStore } from "../sync/syncPorts";
import type { DataverseGateway } from "./dataverseGateway";

/**
 * Named values (reconciliation watermark) and the daily Partner Center call counter, in pcs_integrationstate
 * rows, shared by every proxy instance and settled with If-Match (create-only for a new row).
 */
export class DataverseStateStore implements StateStore, QuotaLedger {
  /** Calls counted in this process and not yet in the row (by counter key). */
  private readonly unwritten = new Map<string, number>();
  /** The one counter write in flight; the next waits for it. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly gateway: DataverseGateway,
    /** Attempts for a counter increment that keeps losing If-Match races. */
    private readonly maxAttempts = 8,
  ) {}

  async read(name: string): Promise<{ value: string | null; etag: string } | null> {
    const row = await this.gateway.readState(name);
    return row ? { value: row.value, etag: row.etag } : null;
  }

  async write(
    name: string,
    value: string,
    etag: string | null,
  ): Promise<{ ok: true; etag: string } | { ok: false; reason: "conflict" }> {
    return this.gateway.writeState(name, { value }, etag);
  }

  /** The counter key the status panel reads too (controls/SyncStatusPanel: `quota:<UTC day>`, pcs_count). */
  static quotaKey(utcDay: string): string {
    return `quota:${utcDay}`;
  }

  async usedOn(utcDay: string): Promise<number> {
    const key = DataverseStateStore.quotaKey(utcDay);
    const stored = (await this.gateway.readState(key))?.count ?? 0;
    return stored + (this.unwritten.get(key) ?? 0);
  }

  /**
   * Adds calls to the day's counter. One row is shared by every sync of every instance, so increments are merged
   * in-process: one write at a time, and calls counted while it is in flight go out together with the next. Only
   * other instances then compete for the row; a lost If-Match race is retried after a short random pause.
   */
  add(utcDay: string, calls: number): Promise<void> {
    if (calls <= 0) return Promise.resolve();
    const key = DataverseStateStore.quotaKey(utcDay);
    this.unwritten.set(key, (this.unwritten.get(key) ?? 0) + calls);
    const flush = this.writing.then(() => this.flush(key));
    this.writing = flush.catch(() => undefined);
    return flush;
  }

  private async flush(key: string): Promise<void> {
    const calls = this.unwritten.get(key) ?? 0;
    if (calls === 0) return; // an earlier flush took these calls along
    this.unwritten.delete(key);
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      const row = await this.gateway.readState(key).catch(() => undefined);
      if (row === undefined) continue; // Dataverse unavailable for the read: try again
      const outcome = await this.gateway
        .writeState(key, { count: (row?.count ?? 0) + calls, valueOn: new Date().toISOString() }, row?.etag ?? null)
        .catch(() => ({ ok: false }) as const);
      if (outcome.ok) return;
    }
    // Kept for the next flush, so a busy minute costs a delay in the count, not the count.
    this.unwritten.set(key, (this.unwritten.get(key) ?? 0) + calls);
    throw new Error(`Could not add ${calls} call(s) to ${key} yet: lost ${this.maxAttempts} updates in a row.`);
  }
}
