import type { ProxyServices } from "../../plugins-ts/src/server/proxyServices";

/**
 * Compressed time for in-process proxy instances: the Partner Center client's per-call timeout, its retry
 * backoff and the wait before a create that timed out is looked up are production's divided down, keeping
 * production's proportions (the look-up waits as long as the timeout). The composition root has no option for
 * these, so this sets the client's own fields; it fails loudly if they move, rather than silently testing slow.
 */

export interface CompressedTiming {
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const CHAOS_TIMING: CompressedTiming = { timeoutMs: 1_000, baseDelayMs: 20, maxDelayMs: 200 };

interface TimingFields {
  transport: { timeoutMs?: unknown; policy?: { baseDelayMs: number; maxDelayMs: number } };
  createSettleMs?: { timedOut: number; dropped: number };
}

export function compressTime(services: ProxyServices, timing: CompressedTiming = CHAOS_TIMING): void {
  const client = services.application.referrals as unknown as TimingFields;
  const transport = client.transport;
  if (typeof transport.timeoutMs !== "number" || !transport.policy || !client.createSettleMs) {
    throw new Error(
      "The Partner Center client's timing fields (transport.timeoutMs, transport.policy, createSettleMs) moved; " +
        "update test/chaos/timeCompression.ts.",
    );
  }
  transport.timeoutMs = timing.timeoutMs;
  transport.policy.baseDelayMs = timing.baseDelayMs;
  transport.policy.maxDelayMs = timing.maxDelayMs;
  client.createSettleMs.timedOut = timing.timeoutMs;
  client.createSettleMs.dropped = Math.min(client.createSettleMs.dropped, timing.timeoutMs / 4);
}
