/**
 * Every HTTP call the client makes to Partner Center — retries and look-ups included — is recorded here; the
 * quota meter reads it. The proxy may supply its own (e.g. one persisted in Dataverse).
 */

export interface RecordedCall {
  operation: string;
  method: string;
  at: Date;
}

export interface CallCounter {
  record(call: RecordedCall): void;
}

/** Counts per UTC day and per operation, in memory. */
export class InMemoryCallCounter implements CallCounter {
  private readonly days = new Map<string, number>();
  private readonly operations = new Map<string, number>();
  private all = 0;

  record(call: RecordedCall): void {
    const day = call.at.toISOString().slice(0, 10);
    this.days.set(day, (this.days.get(day) ?? 0) + 1);
    this.operations.set(call.operation, (this.operations.get(call.operation) ?? 0) + 1);
    this.all += 1;
  }

  /** Calls on a UTC day (YYYY-MM-DD), today by default. */
  forDay(day: string = new Date().toISOString().slice(0, 10)): number {
    return this.days.get(day) ?? 0;
  }

  forOperation(operation: string): number {
    return this.operations.get(operation) ?? 0;
  }

  get total(): number {
    return this.all;
  }
}

/** A per-sync tally: how many API calls one piece of work used (for the audit row). */
export interface CallMeter {
  calls: number;
}
