/**
 * What each side wrote, as the driver saw it acknowledged: per deal and bidirectional field, the value and when.
 * The invariant checker reads it to know the last value each field must end with on both sides.
 */

export type LedgerField = "value" | "closeDate" | "notes";
export type Side = "crm" | "partnerCenter";

export interface LedgerWrite {
  side: Side;
  value: string | number;
  /** When the write was acknowledged (ms since the epoch). */
  at: number;
  event: number;
}

export class WriteLedger {
  private readonly writes = new Map<string, LedgerWrite[]>();

  record(opportunityId: string, field: LedgerField, write: LedgerWrite): void {
    const key = `${opportunityId}|${field}`;
    const list = this.writes.get(key) ?? [];
    list.push(write);
    this.writes.set(key, list);
  }

  /** Writes to one field of one deal, oldest first. */
  of(opportunityId: string, field: LedgerField): LedgerWrite[] {
    return [...(this.writes.get(`${opportunityId}|${field}`) ?? [])].sort((a, b) => a.at - b.at);
  }

  get size(): number {
    return [...this.writes.values()].reduce((n, list) => n + list.length, 0);
  }
}
