import { mulberry32 } from "../../support/mulberry32";

/**
 * Faults the emulator can inject on the API routes (not on the admin API): latency, error answers per status,
 * dropped connections (before anything is done), answers lost after the write was applied, and slow bodies.
 * Rates draw from a seeded generator so a chaos run can be replayed; one-shot faults make tests exact.
 */

export interface FaultConfig {
  /**
   * Added latency in [min, max] milliseconds: uniform, or exponential (most calls near min, a long tail up to max,
   * mean min + (max - min) / 4) — closer to how a remote service's latency looks.
   */
  latencyMs: { min: number; max: number; distribution?: "uniform" | "exponential" } | null;
  /** Probability of answering with the given status instead of handling the request, e.g. {"503": 0.1}. */
  errorRates: Record<string, number>;
  /** Retry-After (seconds) on injected 429/503 answers; null: none sent. */
  errorRetryAfterSeconds: number | null;
  /** Probability of closing the connection before handling the request. */
  dropRate: number;
  /** Probability of handling the request (writes applied) and then closing the connection unanswered. */
  lostAnswerRate: number;
  /** Body dribbled out over this many milliseconds; 0: sent at once. */
  slowBodyMs: number;
  /** Seed of the generator behind the rates. */
  seed: number;
}

export type FaultKind = "status" | "drop" | "lostAnswer" | "latency" | "slowBody";

/** A fault for the next matching request(s). */
export interface OneShotFault {
  kind: FaultKind;
  /** Only requests with this method (e.g. "POST"). */
  method?: string;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
  status?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  slowBodyMs?: number;
  /** How many requests it applies to (default 1). */
  times?: number;
}

export interface ChosenFault {
  kind: FaultKind;
  status?: number;
  retryAfterSeconds?: number | null;
  latencyMs?: number;
  slowBodyMs?: number;
}

export const DEFAULT_FAULTS: FaultConfig = {
  latencyMs: null,
  errorRates: {},
  errorRetryAfterSeconds: null,
  dropRate: 0,
  lostAnswerRate: 0,
  slowBodyMs: 0,
  seed: 1,
};

export class FaultInjector {
  private random: () => number;
  private queue: OneShotFault[] = [];

  constructor(private cfg: FaultConfig) {
    this.random = mulberry32(cfg.seed);
  }

  get config(): FaultConfig {
    return this.cfg;
  }

  set config(cfg: FaultConfig) {
    this.cfg = cfg;
    this.random = mulberry32(cfg.seed);
  }

  enqueue(f: OneShotFault): void {
    this.queue.push({ ...f, times: f.times ?? 1 });
  }

  pending(): OneShotFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue = [];
  }

  private latency({ min, max, distribution }: NonNullable<FaultConfig["latencyMs"]>): number {
    const span = Math.max(0, max - min);
    if (distribution === "exponential") return Math.min(max, min - (span / 4) * Math.log(1 - this.random()));
    return min + this.random() * span;
  }

  /** The faults for one request: a matching one-shot first, else the dice. Latency may combine with others. */
  choose(method: string, path: string): ChosenFault[] {
    const i = this.queue.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.pathPrefix || path.startsWith(f.pathPrefix)),
    );
    if (i >= 0) {
      const f = this.queue[i]!;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) this.queue.splice(i, 1);
      return [
        {
          kind: f.kind,
          status: f.status,
          retryAfterSeconds: f.retryAfterSeconds ?? this.cfg.errorRetryAfterSeconds,
          latencyMs: f.latencyMs,
          slowBodyMs: f.slowBodyMs,
        },
      ];
    }
    const out: ChosenFault[] = [];
    const c = this.cfg;
    if (c.latencyMs) out.push({ kind: "latency", latencyMs: this.latency(c.latencyMs) });
    if (c.dropRate > 0 && this.random() < c.dropRate) return [...out, { kind: "drop" }];
    for (const [status, rate] of Object.entries(c.errorRates)) {
      if (rate > 0 && this.random() < rate) {
        return [...out, { kind: "status", status: Number(status), retryAfterSeconds: c.errorRetryAfterSeconds }];
      }
    }
    if (c.lostAnswerRate > 0 && this.random() < c.lostAnswerRate) out.push({ kind: "lostAnswer" });
    else if (c.slowBodyMs > 0) out.push({ kind: "slowBody", slowBodyMs: c.slowBodyMs });
    return out;
  }
}
