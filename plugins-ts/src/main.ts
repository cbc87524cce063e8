import { buildProxyServer } from "./server/proxyServer";
import { composeProxyServices } from "./server/proxyComposition";
import { loadProxyConfigOrExit } from "./server/proxyConfig";
import { DEFAULT_JOB_SCHEDULE, startJobs } from "./sync/jobScheduler";

/**
 * The referral proxy as a Node server: configuration from the environment (see plugins-ts/README.md), the
 * HTTP surface, and the retry and reconciliation jobs. A bad configuration stops it before it listens.
 */
async function main(): Promise<void> {
  const config = loadProxyConfigOrExit(process.env);
  const services = await composeProxyServices(config);
  const app = await buildProxyServer(config, services, { logger: true });
  const address = await app.listen({ port: config.port, host: config.host });
  const schedule = {
    ...DEFAULT_JOB_SCHEDULE,
    retryEveryMs: config.jobs.retryEverySeconds * 1000,
    reconcileEveryMs: config.jobs.reconcileEverySeconds * 1000,
  };
  const jobs = startJobs(services.application, schedule, (message, error) => app.log.error({ err: error }, message));
  console.log(`Referral proxy (${config.mode}) listening at ${address}`);

  const stop = async () => {
    await jobs.stop();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
