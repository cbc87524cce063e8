/** Names shared by the timing preload (in the benchmarked process) and the bench (reading its answers and log). */
export const HANDLED_HEADER = "x-bench-handled-us";
export const OUTBOUND_HEADER = "x-bench-outbound-us";
export const MAX_RSS_MARKER = "BENCH_MAX_RSS_KB=";
