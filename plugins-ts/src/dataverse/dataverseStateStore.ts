import type { QuotaLedger, StateStore } from "../sync/syncPorts";
import type { DataverseGateway } from "./dataverseGateway";

/**
 * Named values (reconciliation watermark) and the daily Partner Center call counter, in pcs_integrationstate
 * rows, shared by every proxy instance and settled with If-Match (create-only for a new row).
 */
export class DataverseStateStore implements StateStore, QuotaLedger {
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
    return (await this.gateway.readState(DataverseStateStore.quotaKey(utcDay)))?.count ?? 0;
  }

  /** Adds calls with optimistic concurrency: read, write with If-Match, again on a lost race. */
  async add(utcDay: string, calls: number): Promise<void> {
    if (calls <= 0) return;
    const key = DataverseStateStore.quotaKey(utcDay);
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      const row = await this.gateway.readState(key);
      const outcome = await this.gateway.writeState(
        key,
        { count: (row?.count ?? 0) + calls, valueOn: new Date().toISOString() },
        row?.etag ?? null,
      );
      if (outcome.ok) return;
    }
    throw new Error(`Could not add ${calls} call(s) to ${key}: lost ${this.maxAttempts} concurrent updates in a row.`);
  }
}
