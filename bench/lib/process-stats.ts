/** What a child reports about itself: memory, and CPU time used so far (all threads). */
export interface ProcessStats {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** User + system CPU time since the process started, in microseconds. */
  readonly cpuMicros: number;
}

/**
 * This process's stats; with `collect`, after a full garbage collection (children run with
 * --expose-gc), so heapUsedBytes is what is really retained.
 */
export function processStats(collect = false): ProcessStats {
  if (collect) gc?.();
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    cpuMicros: cpu.user + cpu.system,
  };
}
