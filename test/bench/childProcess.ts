import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_RSS_MARKER } from "./benchMarkers";
import { readProcStatus } from "./procStatus";

/**
 * A benchmarked Node process (the proxy, the backfill command): TypeScript through tsx as a loader in that very
 * process, with the timing preload, its output in a log file (read only when needed, so a chatty logger costs the
 * parent nothing), and its memory readable from /proc.
 */

const ROOT = join(__dirname, "..", "..");
const PRELOAD = join(__dirname, "outboundTimingPreload.ts");

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
}

let sequence = 0;

export function startChild(script: string, args: string[], env: Record<string, string>): BenchChild {
  const logFile = join(tmpdir(), `pcs-bench-${process.pid}-${++sequence}.log`);
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", "tsx", "--import", PRELOAD, join(ROOT, script), ...args], {
    env: { ...process.env, ...env },
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
