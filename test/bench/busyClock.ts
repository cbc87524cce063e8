/**
 * The time during which at least one outbound call was in flight, from possibly overlapping calls: the union of
 * their intervals, so two parallel calls of 10 ms count 10 ms, not 20. Units are whatever the caller passes.
 */
export class BusyClock {
  private inFlight = 0;
  private busySince = 0;
  private busyTotal = 0;

  constructor(readonly startedAt: number) {}

  begin(at: number): void {
    if (this.inFlight === 0) this.busySince = at;
    this.inFlight++;
  }

  end(at: number): void {
    if (this.inFlight === 0) throw new Error("BusyClock.end without a matching begin.");
    this.inFlight--;
    if (this.inFlight === 0) this.busyTotal += at - this.busySince;
  }

  /** Busy time up to `at`, counting a call still in flight as busy until then. */
  busyUntil(at: number): number {
    return this.busyTotal + (this.inFlight > 0 ? at - this.busySince : 0);
  }
}
