import type { HttpAdapter } from '../apps/app-spec';
import { FLOOR_GUARD, OUR_CHAIN_CACHE_OFF, type MicroRow } from '../micro/micro-job';
import type { ColdStartResult } from './cold-start';
import { fixed, integer, megabytes, ratio, signed } from './format';
import { APPS } from './scenarios';
import { pairedDifference, pairedRatio, type CaseSummary } from './summary';

/** The goals the module is held to, each with what this run measured. */
export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured in this run (e.g. filtered out with --only). */
  readonly met: boolean | undefined;
}

export const WARM_MIN_RATIO_TO_PUBLIC = 0.9;
export const CACHE_OFF_MAX_EXTRA_COST_TO_FLOOR = 1.5;
export const MIN_SPEEDUP_CACHE_OFF = 1.5;
export const MIN_SPEEDUP_WARM = 2.5;
/** 10,000 tokens: RSS may grow at most this much over the single-token warm app… */
export const DISTINCT_MAX_RSS_GROWTH_BYTES = 100 * 1024 * 1024;
/** …and its heap after a full GC may grow at most this much from the first round to the last. */
export const DISTINCT_MAX_RETAINED_DRIFT_BYTES = 10 * 1024 * 1024;
/** 10,000 tokens, all cached: req/s at least this share of the one-token warm route (no cliff). */
export const DISTINCT_MIN_RATIO_TO_WARM = 0.8;

const ADAPTERS: readonly HttpAdapter[] = ['express', 'fastify'];

export function evaluateTargets(
  summaries: ReadonlyMap<string, CaseSummary>,
  cold: readonly ColdStartResult[],
  micro: readonly MicroRow[],
  distinctTokens: number,
): TargetResult[] {
  const get = (id: string): CaseSummary | undefined => summaries.get(id);
  const rps = (id: string): number => get(id)?.requestsPerSecond ?? Number.NaN;
  // Every comparison is the median of per-round ratios (see pairedRatio).
  const rpsRatio = (a: string, b: string): number =>
    pairedRatio(get(a)?.rpsPerRound ?? [], get(b)?.rpsPerRound ?? []);
  const cpuExtra = (guarded: string, open: string): number =>
    pairedDifference(get(guarded)?.cpuPerRound ?? [], get(open)?.cpuPerRound ?? []);
  const check = (
    target: string,
    value: number,
    met: (value: number) => boolean,
    measured: string,
  ) => ({
    target,
    measured,
    met: Number.isFinite(value) ? met(value) : undefined,
  });
  const results: TargetResult[] = [];
  for (const adapter of ADAPTERS) {
    const name = adapter === 'express' ? 'Express' : 'Fastify';
    const ours = adapter === 'express' ? APPS.oursExpress : APPS.oursFastify;
    const oursOff = adapter === 'express' ? APPS.oursNoCacheExpress : APPS.oursNoCacheFastify;
    const floor = adapter === 'express' ? APPS.floorExpress : APPS.floorFastify;
    const passport = adapter === 'express' ? APPS.passportExpress : APPS.passportFastify;
    const warm = rpsRatio(`${ours.id}:guarded`, `${ours.id}:public`);
    results.push(
      check(
        `${name}: warm-cache guarded ≥ ${WARM_MIN_RATIO_TO_PUBLIC} × public of the same app`,
        warm,
        (value) => value >= WARM_MIN_RATIO_TO_PUBLIC,
        `${ratio(warm)} (medians ${integer(rps(`${ours.id}:guarded`))} vs ${integer(rps(`${ours.id}:public`))} req/s)`,
      ),
    );
    const oursExtra = cpuExtra(`${oursOff.id}:guarded`, `${oursOff.id}:public`);
    const floorExtra = cpuExtra(`${floor.id}:guarded`, `${floor.id}:public`);
    // A floor cost at or below zero is the machine's noise, not a measurement.
    const extra = floorExtra > 0 ? oursExtra / floorExtra : Number.NaN;
    results.push(
      check(
        `${name}: cache off, guarded extra server CPU per request ≤ ${CACHE_OFF_MAX_EXTRA_COST_TO_FLOOR} × the floor guard's (over HTTP: guarded − public of the same app)`,
        extra,
        (value) => value <= CACHE_OFF_MAX_EXTRA_COST_TO_FLOOR,
        `${floorExtra > 0 ? ratio(extra) : 'too noisy to tell'} (ours ${signed(oursExtra, 0)} µs, floor ${signed(floorExtra, 0)} µs)`,
      ),
    );
    const offSpeedup = rpsRatio(`${oursOff.id}:guarded`, `${passport.id}:guarded`);
    results.push(
      check(
        `${name}: cache off ≥ ${MIN_SPEEDUP_CACHE_OFF} × req/s of the hand-written passport-jwt guard`,
        offSpeedup,
        (value) => value >= MIN_SPEEDUP_CACHE_OFF,
        `${ratio(offSpeedup)} (medians ${integer(rps(`${oursOff.id}:guarded`))} vs ${integer(rps(`${passport.id}:guarded`))} req/s)`,
      ),
    );
    const warmSpeedup = rpsRatio(`${ours.id}:guarded`, `${passport.id}:guarded`);
    results.push(
      check(
        `${name}: warm cache ≥ ${MIN_SPEEDUP_WARM} × req/s of the hand-written passport-jwt guard`,
        warmSpeedup,
        (value) => value >= MIN_SPEEDUP_WARM,
        `${ratio(warmSpeedup)} (medians ${integer(rps(`${ours.id}:guarded`))} vs ${integer(rps(`${passport.id}:guarded`))} req/s)`,
      ),
    );
  }
  results.push(microExtraCost(micro));
  results.push(
    ...distinctTargets(
      get(`${APPS.oursDistinctExpress.id}:guarded`),
      get(`${APPS.oursExpress.id}:guarded`),
      distinctTokens,
    ),
  );
  for (const result of cold) {
    const ok = result.statuses['200'] ?? 0;
    results.push({
      target: `${result.app.adapter === 'express' ? 'Express' : 'Fastify'}: ${integer(result.requests)} concurrent requests on a cold key set → exactly one JWKS fetch`,
      measured: `${result.jwksFetches} fetch${result.jwksFetches === 1 ? '' : 'es'}, ${integer(ok)}/${integer(result.requests)} answered 200 in ${integer(result.wallMs)} ms`,
      met: result.jwksFetches === 1 && ok === result.requests,
    });
  }
  return results;
}

/** The same cache-off target measured in process, where the machine's noise weighs far less. */
function microExtraCost(micro: readonly MicroRow[]): TargetResult {
  const ours = micro.find((row) => row.label === OUR_CHAIN_CACHE_OFF)?.microsPerCall ?? Number.NaN;
  const floor = micro.find((row) => row.label === FLOOR_GUARD)?.microsPerCall ?? Number.NaN;
  const extra = ours / floor;
  return {
    target: `In process: cache off, our guard chain per request ≤ ${CACHE_OFF_MAX_EXTRA_COST_TO_FLOOR} × the floor guard's`,
    measured: `${ratio(extra)} (${fixed(ours, 1)} µs vs ${fixed(floor, 1)} µs per call)`,
    met: Number.isFinite(extra) ? extra <= CACHE_OFF_MAX_EXTRA_COST_TO_FLOOR : undefined,
  };
}

function distinctTargets(
  summary: CaseSummary | undefined,
  warm: CaseSummary | undefined,
  distinctTokens: number,
): TargetResult[] {
  const warmRps = warm?.requestsPerSecond ?? Number.NaN;
  const label = `${integer(distinctTokens)} distinct tokens`;
  const measurement = summary?.measurement;
  const baseline = measurement?.rssBaselineBytes;
  const samples = measurement?.samples ?? [];
  const last = samples.at(-1)?.rssBytes;
  const firstRetained = samples[0]?.retainedHeapBytes;
  const lastRetained = samples.at(-1)?.retainedHeapBytes;
  if (!summary || baseline === undefined || last === undefined) {
    return [
      { target: `${label}: RSS growth bounded`, measured: 'not measured', met: undefined },
      { target: `${label}: no throughput cliff`, measured: 'not measured', met: undefined },
    ];
  }
  const growth = last - baseline;
  const drift =
    firstRetained === undefined || lastRetained === undefined
      ? Number.NaN
      : lastRetained - firstRetained;
  const cliff = pairedRatio(summary.rpsPerRound, warm?.rpsPerRound ?? []);
  return [
    {
      target: `${label}: RSS growth ≤ ${megabytes(DISTINCT_MAX_RSS_GROWTH_BYTES)} MB over the one-token app`,
      measured: `${signed(growth / 1024 / 1024, 0)} MB (${megabytes(baseline)} → ${megabytes(last)} MB)`,
      met: growth <= DISTINCT_MAX_RSS_GROWTH_BYTES,
    },
    {
      target: `${label}: heap after a full GC grows ≤ ${megabytes(DISTINCT_MAX_RETAINED_DRIFT_BYTES)} MB from the first round to the last (nothing accumulates)`,
      measured: Number.isFinite(drift)
        ? `${signed(drift / 1024 / 1024, 1)} MB over ${samples.length} rounds`
        : 'not measured',
      met: Number.isFinite(drift) ? drift <= DISTINCT_MAX_RETAINED_DRIFT_BYTES : undefined,
    },
    {
      target: `${label}: no cliff, cached rotation ≥ ${DISTINCT_MIN_RATIO_TO_WARM} × one-token warm req/s`,
      measured: `${ratio(cliff)} (medians ${integer(summary.requestsPerSecond)} vs ${integer(warmRps)} req/s)`,
      met: Number.isFinite(cliff) ? cliff >= DISTINCT_MIN_RATIO_TO_WARM : undefined,
    },
  ];
}
