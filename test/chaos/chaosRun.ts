import { readAuditCorrelationIds, readOpportunities, readReferrals } from "./bothSides";
import type { ChaosOptions } from "./chaosOptions";
import type { ChaosReport } from "./chaosReport";
import { chaosSeed } from "./chaosSeed";
import { ChaosDriver, type ProcessControl } from "./chaosDriver";
import { planChaos } from "./eventPlan";
import { FaultTally } from "./faultTally";
import { checkInvariants, countByKind } from "./invariantChecker";
import { PartnerCenterCallLog } from "./partnerCenterCallLog";
import { startProductUnderTest } from "./productUnderTest";
import { startProxyProcess, type ProxyProcess } from "./proxyProcess";
import { quiesce } from "./quiescence";
import { SeededRandom } from "./seededRandom";
import { compressTime } from "./timeCompression";
import { WriteLedger } from "./writeLedger";

/**
 * One chaos run: the product with two in-process proxy instances (and, with `crash`, a proxy process that is
 * killed and restarted), the plan played with its faults, the quiet phase, then both sides read and checked.
 */

/** Writes from the two sides closer than this are concurrent: Dataverse keeps whole seconds, so either may win. */
export const CONCURRENT_WITHIN_MS = 2_000;

export async function runChaos(options: ChaosOptions, log: (line: string) => void = () => {}): Promise<ChaosReport> {
  const started = Date.now();
  const { seed, deals } = chaosSeed(new SeededRandom(options.seed), options.deals);
  const plan = planChaos({ ...options, deals });
  const product = await startProductUnderTest({
    instances: 2,
    dataverseSeed: seed,
    partnerCenter: { throttle: { dailyQuota: 100_000_000 } },
    // A create claim outlives the slowest faulty create of an in-process instance (timeouts, retries, look-up).
    proxySettings: { PCS_CLAIM_TTL_SECONDS: "20" },
  });
  let process: ProxyProcess | null = null;
  let starting: Promise<ProxyProcess> | null = null;
  const processEnv = product.proxyEnvironment({ PCS_RETRY_EVERY_SECONDS: "1", PCS_CLAIM_TTL_SECONDS: "20" });
  const restart = () => {
    starting = startProxyProcess(processEnv).then((p) => (process = p));
    return starting;
  };
  try {
    for (const p of product.proxies) compressTime(p.services);
    const calls = new PartnerCenterCallLog(product.pc.app.server);
    const ledger = new WriteLedger();
    const faults = new FaultTally();
    let processes = 0;
    let control: ProcessControl | null = null;
    if (options.crash) {
      await restart();
      processes++;
      control = {
        current: () => process,
        killAndRestart: async () => {
          const victim = process;
          process = null;
          await victim?.kill();
          processes++;
          void restart();
        },
      };
    }
    const driver = new ChaosDriver(product, deals, ledger, faults, control);
    const step = Math.max(1, Math.floor(plan.length / 10));
    await driver.run(plan, options.concurrency, (done) => {
      if (done % step === 0) log(`  ${done}/${plan.length} events (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    });
    const eventsDone = Date.now();

    // The process is stopped so that only the compressed-time jobs below run; the emulators' faults end here.
    if (starting) await (starting as Promise<ProxyProcess>).catch(() => null);
    await (process as ProxyProcess | null)?.stop();
    process = null;
    faults.settlePartnerCenter(product.pc.context.faults);
    product.dv.clearFaults();
    log("  quiescence…");
    const quiescence = await quiesce(product.proxies[0]!.services.application, () => product.settle(), 12, log);
    calls.stop();

    const audit = await readAuditCorrelationIds(product.admin);
    const violations = checkInvariants({
      deals: deals.map((d) => d.opportunityId),
      opportunities: await readOpportunities(product.admin),
      referrals: await readReferrals(product.pc),
      incomingReferralIds: driver.incomingReferralIds,
      auditCorrelationIds: audit.ids,
      partnerCenterWrites: calls.writes(),
      killedAt: driver.killedAt,
      ledger,
      concurrentWithinMs: CONCURRENT_WITHIN_MS,
    });
    const ended = Date.now();
    return {
      options,
      eventsByKind: driver.stats.eventsByKind,
      faults: { planned: faults.planned, injected: faults.injected },
      proxyInstances: { inProcess: product.proxies.length, processes, kills: driver.killedAt.length },
      partnerCenter: { calls: calls.count, byStatus: calls.byStatus(), clientRetries: calls.retries() },
      syncAnswers: driver.stats.syncAnswers,
      skipped: driver.stats.skipped,
      driverErrors: driver.stats.driverErrors,
      serverErrors: product.serverErrors,
      quiescence,
      auditRows: audit.rows,
      ledgerWrites: ledger.size,
      violations,
      violationCounts: countByKind(violations),
      wallMs: { events: eventsDone - started, quiescence: ended - eventsDone, total: ended - started },
    };
  } finally {
    if (starting) await (starting as Promise<ProxyProcess>).catch(() => null);
    await (process as ProxyProcess | null)?.kill();
    await product.close();
  }
}
