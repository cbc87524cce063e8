/**
 * The Partner Center writes this instance made in the last minutes: (referral id → updatedDateTime of our
 * write's answer). Partner Center's webhook for such a write can arrive before the proxy has recorded it in
 * Dataverse; this lets the instance recognise it without a GET. Only an optimisation: a miss (another
 * instance, a restart) falls back to the durable check on pcs_referralupdatedon, or to one GET.
 */
import { isNoNewerThan, normalizeUtcInstant } from "../../../domain";

export class OwnWriteRegistry {
  private readonly writes = new Map<string, { updatedOn: string; until: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(referralId: string, updatedDateTime: string | undefined): void {
    // Kept as Partner Center wrote it: all 7 fractional digits count.
    const updatedOn = normalizeUtcInstant(updatedDateTime);
    if (updatedOn === null) return;
    if (this.writes.size >= this.maxEntries) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.writes.keys().next().value;
      if (oldest !== undefined) this.writes.delete(oldest);
    }
    this.writes.delete(referralId);
    this.writes.set(referralId, { updatedOn, until: this.now() + this.ttlMs });
  }

  /** True when a change at `changedAt` is no newer than this instance's own last write of the referral. */
  covers(referralId: string, changedAt: string | undefined): boolean {
    const entry = this.writes.get(referralId);
    if (!entry) return false;
    if (entry.until < this.now()) {
      this.writes.delete(referralId);
      return false;
    }
    return isNoNewerThan(changedAt, entry.updatedOn);
  }
}
