import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_RSS_MARKER } from "./benchMarkers";
import { readProcStatus } from "./procStatus";

/**
 * A benchmarked Node process (the proxy, the backfill command) run as compiled JavaScript, as `npm run proxy` and
 * `npm run backfill` run it (a TypeScript loader in the process would add its own memory to the RSS measured),
 * with the timing preload, its output in a log file (read only when needed, so a chatty logger costs the parent
 * nothing), and its memory readable from /proc.
 */

const ROOT = join(__dirname, "..", "..");
export const ENTRY_POINTS = {
  proxy: "plugins-ts/src/main.ts",
  backfill: "plugins-ts/src/backfillCommand.ts",
  preload: "test/bench/outboundTimingPreload.ts",
} as const;

let compiled: Promise<Record<keyof typeof ENTRY_POINTS, string>> | null = null;

/**
 * The entry points compiled once per bench run into a temporary folder (esbuild, CommonJS, packages left to
 * node_modules as in the tsc build), so the bench needs no prior `npm run build` and never writes to out/.
 */
export function compiledEntryPoints(): Promise<Record<keyof typeof ENTRY_POINTS, string>> {
  compiled ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "pcs-bench-build-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    await build({
      entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, path]) => [name, join(ROOT, path)])),
      outdir,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      packages: "external",
      logLevel: "error",
    });
    return {
      proxy: join(outdir, "proxy.js"),
      backfill: join(outdir, "backfill.js"),
      preload: join(outdir, "preload.js"),
    };
  })();
  return compiled;
}

export interface BenchChild {
  child: ChildProcess;
  logFile: string;
  log(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** VmRSS and VmHWM in KiB from /proc/<pid>/status, or null once the process is gone. */
  memory(): { rssKb: number; peakKb: number } | null;
  /** process.resourceUsage().maxRSS (KiB) as the child printed it on exit. */
  reportedMaxRssKb(): number | null;
  kill(): void;
  /** Removes the log file (a proxy logs every request: tens of MB over benchmark 5). */
  removeLog(): void;
}

let sequence = 0;

export async function startChild(
  entry: "proxy" | "backfill",
  args: string[],
  env: Record<string, string>,
): Promise<BenchChild> {
  const files = await compiledEntryPoints();
  const logFile = join(tmpdir(), `pcs-bench-${process.pid}-${++sequence}.log`);
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, ["--require", files.preload, files[entry], ...args], {
    // The compiled files live outside the repository; their packages still come from its node_modules.
    env: { ...process.env, ...env, NODE_PATH: join(ROOT, "node_modules") },
    stdio: ["ignore", fd, fd],
    cwd: ROOT,
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const log = () => readFileSync(logFile, "utf8");
  return {
    child,
    logFile,
    log,
    exited,
    memory: () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return null;
      try {
        return readProcStatus(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      } catch {
        return null;
      }
    },
    reportedMaxRssKb: () => {
      const match = new RegExp(`${MAX_RSS_MARKER}(\\d+)`).exec(log());
      return match ? Number(match[1]) : null;
    },
    removeLog: () => rmSync(logFile, { force: true }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Waits until the log shows `pattern` (its first group is returned), failing if the process exits first. */
export async function waitForLog(process: BenchChild, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(process.log());
    if (match) return match[1] ?? match[0];
    if (process.child.exitCode !== null) {
      throw new Error(`process exited with ${process.child.exitCode} before /${pattern.source}/:\n${process.log()}`);
    }
    if (Date.now() > end) throw new Error(`timed out waiting for /${pattern.source}/:\n${process.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
