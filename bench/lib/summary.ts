import type { CaseMeasurement, RunSample } from './measure-cases';
import { BASELINE_CASE_ID, type CaseDef } from './scenarios';
import { median } from './stats';

/** A load generator above this share of its core was probably the limit, not the server. */
export const CLIENT_BOUND_PERCENT = 90;

/** A case over its rounds: medians, and ratios to the same app's public route and to bare Nest. */
export interface CaseSummary {
  readonly def: CaseDef;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly serverCpuMicros: number;
  /** After the case's last round. */
  readonly rssBytes: number;
  readonly clientBound: boolean;
  /** Median over the rounds of req/s ÷ the public route's req/s in the same round. */
  readonly ratioToPublic: number;
  /** Median over the rounds of req/s ÷ bare Nest on Express's req/s in the same round. */
  readonly ratioToBaseline: number;
  readonly rpsPerRound: readonly number[];
  readonly cpuPerRound: readonly number[];
  readonly measurement: CaseMeasurement;
}

/**
 * Median of the per-round ratios a[r] / b[r]. Cases of one round run close together, so a
 * ratio within a round cancels most of the drift a busy machine adds between rounds.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return Number.NaN;
  return median(a.map((value, round) => value / (b[round] ?? Number.NaN)));
}

/** Median of the per-round differences a[r] − b[r]. */
export function pairedDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return Number.NaN;
  return median(a.map((value, round) => value - (b[round] ?? Number.NaN)));
}

export function summarize(
  measurements: ReadonlyMap<string, CaseMeasurement>,
): Map<string, CaseSummary> {
  const rpsOf = (id: string): number[] =>
    measurements.get(id)?.samples.map((sample) => sample.load.requestsPerSecond) ?? [];
  const summaries = new Map<string, CaseSummary>();
  for (const [id, measurement] of measurements) {
    const { samples, def } = measurement;
    const of = (pick: (sample: RunSample) => number): number => median(samples.map(pick));
    const rpsPerRound = rpsOf(id);
    summaries.set(id, {
      def,
      requestsPerSecond: median(rpsPerRound),
      latencyP50Ms: of((sample) => sample.load.latencyP50Ms),
      latencyP99Ms: of((sample) => sample.load.latencyP99Ms),
      serverCpuMicros: of((sample) => sample.serverCpuMicrosPerRequest),
      rssBytes: samples.at(-1)?.rssBytes ?? Number.NaN,
      clientBound: samples.some((sample) => sample.load.clientCpuPercent >= CLIENT_BOUND_PERCENT),
      ratioToPublic: pairedRatio(rpsPerRound, rpsOf(def.publicCaseId)),
      ratioToBaseline: pairedRatio(rpsPerRound, rpsOf(BASELINE_CASE_ID)),
      rpsPerRound,
      cpuPerRound: samples.map((sample) => sample.serverCpuMicrosPerRequest),
      measurement,
    });
  }
  return summaries;
}
