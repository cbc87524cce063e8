import type { Referral } from "../../../domain";
import { countPartnerCenterCalls } from "./callCounting";
import { applyFromPartnerCenter } from "./inboundSync";
import type { SyncEnvironment } from "./outboundSync";
import type { ReferralService, StateStore, SyncCallContext } from "./syncPorts";

/**
 * Partner Center stops delivering a webhook after 10 failed attempts. This job catches up: it lists the
 * referrals changed since a watermark (updatedDateTime, ascending, following @odata.nextLink), applies each
 * through the same Partner Center → CRM path as a webhook, and advances the watermark page by page, so an
 * interrupted run resumes where it stopped.
 */

export const WATERMARK = "reconcile.updatedDateTime";

/** Listing, as the Partner Center client offers it. */
export interface ReferralLister {
  listAll(
    query: { filter?: string; orderBy?: "updatedDateTime asc"; top?: number },
    ctx: SyncCallContext,
  ): AsyncIterable<{ value: Referral[] }>;
}

export interface ReconcileRun {
  listed: number;
  applied: number;
  unchanged: number;
  ignored: number;
  createdOpportunities: number;
  watermark: string;
  apiCalls: number;
}

export async function reconcile(
  env: SyncEnvironment & { referrals: ReferralService & ReferralLister; state: StateStore },
  options: { firstRunLookbackMs: number },
): Promise<ReconcileRun> {
  const now = env.clock();
  const stored = await env.state.read(WATERMARK);
  let etag = stored?.etag ?? null;
  let watermark = stored?.value ?? new Date(now.getTime() - options.firstRunLookbackMs).toISOString();
  const ctx: SyncCallContext = { correlationId: env.newCorrelationId(), meter: { calls: 0 } };
  const run: ReconcileRun = {
    listed: 0,
    applied: 0,
    unchanged: 0,
    ignored: 0,
    createdOpportunities: 0,
    watermark,
    apiCalls: 0,
  };

  // "ge", not "gt": a referral updated in the same instant as the watermark is read again rather than missed;
  // applying it twice is harmless (the second time finds nothing new).
  const pages = env.referrals.listAll(
    { filter: `updatedDateTime ge ${watermark}`, orderBy: "updatedDateTime asc" },
    ctx,
  );
  for await (const page of pages) {
    for (const referral of page.value) {
      run.listed++;
      const result = await applyFromPartnerCenter(env, { referralId: referral.id, referral, trigger: "reconcile" });
      if (result.outcome === "applied") run.applied++;
      else if (result.outcome === "unchanged") run.unchanged++;
      else if (result.outcome === "ignored") run.ignored++;
      else run.createdOpportunities++;
      run.apiCalls += result.apiCalls + (result.followUp?.apiCalls ?? 0);
      if (referral.updatedDateTime && referral.updatedDateTime > watermark) watermark = referral.updatedDateTime;
    }
    const saved = await env.state.write(WATERMARK, watermark, etag);
    if (!saved.ok) throw new Error("Another reconciliation run moved the watermark; this run stops to let it finish.");
    etag = saved.etag;
  }
  await countPartnerCenterCalls(env.quota, now, ctx.meter.calls, "reconciliation");
  run.apiCalls += ctx.meter.calls;
  run.watermark = watermark;
  return run;
}
