import { cpus, totalmem } from "node:os";
import type { MachineInfo } from "./benchTable";

/** The machine the figures were taken on. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown CPU",
    cores: list.length,
    ramGiB: totalmem() / 1024 ** 3,
    node: process.version,
  };
}
