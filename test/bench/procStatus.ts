/**
 * Resident memory of a process from the text of /proc/<pid>/status: VmRSS (now) and VmHWM (peak), in KiB.
 * Throws when either line is missing, so a changed kernel format cannot pass as "0 MB".
 */
export function readProcStatus(text: string): { rssKb: number; peakKb: number } {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, "m").exec(text);
    if (!match) throw new Error(`/proc status has no ${name} line in kB.`);
    return Number(match[1]);
  };
  return { rssKb: field("VmRSS"), peakKb: field("VmHWM") };
}
