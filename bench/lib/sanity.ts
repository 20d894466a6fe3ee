import { integer, fixed } from './stats';

/**
 * Above this 1-minute load average before the run, other work shares the two cores (the load
 * average of an idle machine is near 0; each busy core adds about 1).
 */
export const MAX_LOAD_AVERAGE = 0.5;

/**
 * req/s of the calibration case (bare node:http hello world, autocannon with 10 connections on
 * the other core) expected on the machine the figures are for: this 2-vCPU AMD EPYC VM, Node 20.
 * The quiet full run behind BENCHMARKS.md (load average 0.47) gave 52,000–67,000 req/s; busy
 * runs gave 6,000–47,000. Below the range the machine is busy; above it, this is another machine:
 * run `npm run bench -- --quick` there when quiet, and set the range from its calibration figures.
 */
export const CALIBRATION_RANGE = { min: 50_000, max: 100_000 } as const;

/** How long a measuring run waits for the load of what ran just before it (its own compile). */
const SETTLE_MAX_MS = 90_000;
const SETTLE_POLL_MS = 5_000;

/**
 * The 1-minute load average once it is at most MAX_LOAD_AVERAGE, or after SETTLE_MAX_MS: `npm
 * run bench` compiles first, and that alone lifts the average above the limit for about a minute.
 * Work still running elsewhere keeps it high, and the run is then judged busy as before.
 */
export async function settledLoadAverage(
  read: () => number,
  log: (line: string) => void,
): Promise<number> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let load = read();
  while (load > MAX_LOAD_AVERAGE && Date.now() < deadline) {
    log(`load average ${fixed(load)}: waiting for it to settle`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    load = read();
  }
  return load;
}

export interface Sanity {
  readonly trusted: boolean;
  /** Why the figures are not trusted (empty when they are). */
  readonly reasons: readonly string[];
  readonly loadAverage: number;
  readonly pinned: boolean;
  /** The calibration run before everything else, then one per round. */
  readonly calibration: readonly number[];
}

export function judgeSanity(
  loadAverage: number,
  pinned: boolean,
  calibration: readonly number[],
): Sanity {
  const reasons: string[] = [];
  if (!(loadAverage <= MAX_LOAD_AVERAGE)) {
    reasons.push(
      `1-minute load average ${fixed(loadAverage)} before the run (limit ${MAX_LOAD_AVERAGE})`,
    );
  }
  if (!pinned) reasons.push('processes not pinned to cores (no working taskset)');
  const outside = calibration.filter(
    (rps) => !(rps >= CALIBRATION_RANGE.min && rps <= CALIBRATION_RANGE.max),
  );
  if (outside.length > 0) {
    reasons.push(
      `calibration outside ${integer(CALIBRATION_RANGE.min)}–${integer(CALIBRATION_RANGE.max)} req/s in ${outside.length} of ${calibration.length} runs (${outside.map(integer).join(', ')})`,
    );
  }
  return { trusted: reasons.length === 0, reasons, loadAverage, pinned, calibration };
}
