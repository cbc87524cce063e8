import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/**
 * The proxy as its own Node process (plugins-ts/src/main.ts through tsx as a loader, so SIGKILL reaches the
 * process that holds the work, not a wrapper), for killing mid-run. Its timers and timeouts are production's.
 */

export interface ProxyProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no handler runs, in-flight work is cut where it stands. */
  kill(): Promise<void>;
  /** SIGTERM: the proxy stops its jobs and closes. */
  stop(): Promise<void>;
}

const MAIN = join(__dirname, "../../plugins-ts/src/main.ts");

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export function startProxyProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ProxyProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, ...env, PCS_HOST: "127.0.0.1", PCS_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The proxy process did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    const read = (chunk: Buffer) => {
      // Keep only the start-up text: the logger is off, but a long run must not hold every line.
      if (output.length < 20_000) output += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", read);
        child.stdout!.resume();
        resolve({
          url: match[1]!,
          child,
          kill: async () => {
            child.kill("SIGKILL");
            await exited(child);
          },
          stop: async () => {
            child.kill("SIGTERM");
            const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
            await exited(child);
            clearTimeout(forced);
          },
        });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString();
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The proxy process exited (${signal ?? code}) before listening:\n${output.slice(-2000)}`));
    });
  });
}
