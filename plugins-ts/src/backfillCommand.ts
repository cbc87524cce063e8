import { composeProxyServices } from "./server/proxyComposition";
import { loadProxyConfigOrExit } from "./server/proxyConfig";
import { resumableBackfill, type BackfillProgress } from "./sync/backfill";

/**
 * `npm run backfill [-- --restart] [--concurrency <n>]`: syncs every opportunity with sync on, with a progress
 * line, bounded concurrency and the daily quota respected. Interrupt it at will (Ctrl+C): the next run resumes
 * after the last finished page; opportunities already in step cost no Partner Center call anyway.
 */

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`--${name} must be a whole number from 1 to 64.`);
    process.exit(2);
  }
  return n;
}

function line(p: BackfillProgress, startedAt: number): string {
  const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
  const o = p.outcomes;
  return (
    `backfill: ${p.done} done · created ${o.created ?? 0} · updated ${o.updated ?? 0} · unchanged ${o.unchanged ?? 0}` +
    ` · blocked ${o.blocked ?? 0} · retrying ${(o.retrying ?? 0) + (o.failed ?? 0)} · ${p.apiCalls} API calls · ${(p.done / seconds).toFixed(1)}/s`
  );
}

async function main(): Promise<void> {
  const config = loadProxyConfigOrExit(process.env);
  const services = await composeProxyServices(config);
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nstopping after the work in progress; the next run resumes from here\n");
    controller.abort();
  });
  const startedAt = Date.now();
  const tty = process.stderr.isTTY;
  const result = await resumableBackfill(services.application, {
    concurrency: option("concurrency", 4),
    pageSize: 200,
    restart: process.argv.includes("--restart"),
    signal: controller.signal,
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r${line(p, startedAt)}`);
      else if (p.done % 100 === 0) process.stderr.write(`${line(p, startedAt)}\n`);
    },
  });
  process.stderr.write(`${tty ? "\r" : ""}${line(result, startedAt)}\n`);
  if (result.resumedAfter) console.log(`resumed after ${result.resumedAfter}`);
  if (result.stoppedForQuota)
    console.log("stopped: today's Partner Center budget is used up; run again after midnight UTC");
  for (const e of result.errors) console.log(`error ${e.opportunityId}: ${e.message}`);
  process.exit(result.errors.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
