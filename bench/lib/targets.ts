import type { BurstOutcome } from './burst';
import { ADAPTER_NAMES, ADAPTERS, minimalId, sampleId, type MinimalId } from './cases';
import type { LoadResult } from './load';
import type { MicroResult } from './micro';
import { SCALE_MAX_BYTES, type ScaleResult } from './scale';
import { fixed, integer, mebibytes, median, pairedRatio, times } from './stats';

/** Issue 13's targets. */
export const WARM_MIN_RATIO_TO_PUBLIC = 0.9;
export const WARM_CHAIN_MAX_MICROS = 3;
export const COLD_MAX_RATIO_TO_FLOOR = 1.5;
export const MIN_SPEEDUP_COLD = 1.5;
export const MIN_SPEEDUP_WARM = 2.5;
/** A rotation through cached tokens costs look-ups in a big cache; a miss, a verification (~0.3×). */
export const SCALE_MIN_RATIO_TO_ONE_TOKEN = 0.8;

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface RunFigures {
  /** Case id → its measured runs, one per round. */
  readonly rounds: ReadonlyMap<string, readonly LoadResult[]>;
  readonly micro: MicroResult;
  readonly scale: ScaleResult;
  readonly bursts: readonly BurstOutcome[];
}

export function evaluateTargets({ rounds, micro, scale, bursts }: RunFigures): Target[] {
  const rps = (id: string): number[] => rounds.get(id)?.map((run) => run.requestsPerSecond) ?? [];
  const versus = (a: string, b: string, minimum: number) => {
    const value = pairedRatio(rps(a), rps(b));
    const measured = `${times(value)} (medians ${integer(median(rps(a)))} vs ${integer(median(rps(b)))} req/s)`;
    return { measured, met: value >= minimum };
  };
  const speedup = (ours: MinimalId, label: string, minimum: number): Target[] =>
    ADAPTERS.map((adapter) => ({
      target: `${ADAPTER_NAMES[adapter]}: our module ${label} ≥ ${minimum}× the req/s of the hand-written passport-jwt guard`,
      ...versus(minimalId(ours, adapter), minimalId('passport-jwt', adapter), minimum),
    }));
  const warmMicros = median(micro.warm);
  const coldToFloor = pairedRatio(micro.cold, micro.floor);
  const growth = scale.afterFill.heapUsedBytes - scale.baseline.heapUsedBytes;
  const held = scale.afterFill.cachedTokens ?? 0;
  const rotation = pairedRatio(scale.rotation, scale.oneToken);
  const tokens = `${integer(scale.tokens)} distinct tokens`;
  return [
    ...ADAPTERS.map((adapter) => {
      const open = sampleId(adapter, 'public');
      const { measured, met } = versus(
        sampleId(adapter, 'guarded'),
        open,
        WARM_MIN_RATIO_TO_PUBLIC,
      );
      const ceiling = pairedRatio(rps(sampleId(adapter, 'admit-only')), rps(open));
      return {
        target: `Sample app, ${ADAPTER_NAMES[adapter]}: guarded \`GET /partners/me\` (warm) ≥ ${WARM_MIN_RATIO_TO_PUBLIC}× public \`GET /health\``,
        measured: `${measured}; a JwtAuthGuard that only admits: ${times(ceiling)}`,
        met,
      };
    }),
    {
      target: `In process: the sample app's whole guard chain, warm (token and partner cached) ≤ ${WARM_CHAIN_MAX_MICROS} µs per request`,
      measured: `${fixed(warmMicros)} µs`,
      met: warmMicros <= WARM_CHAIN_MAX_MICROS,
    },
    {
      target: `In process: the same chain, cold (token cache off) ≤ ${COLD_MAX_RATIO_TO_FLOOR}× the floor guard`,
      measured: `${times(coldToFloor)} (${fixed(median(micro.cold), 1)} vs ${fixed(median(micro.floor), 1)} µs); passport-jwt's verifier alone: ${times(pairedRatio(micro.verifier, micro.floor))}`,
      met: coldToFloor <= COLD_MAX_RATIO_TO_FLOOR,
    },
    ...speedup('ours-cold', 'cold (cache off)', MIN_SPEEDUP_COLD),
    ...speedup('ours', 'warm', MIN_SPEEDUP_WARM),
    {
      target: `${tokens}: heap the cache retains ≤ tokenCache.maxBytes (${mebibytes(SCALE_MAX_BYTES)})`,
      measured: `${mebibytes(growth)} over the one-token app (after a full GC), ${integer(held)} tokens held`,
      met: growth <= SCALE_MAX_BYTES,
    },
    {
      target: `${tokens}: no throughput cliff: all held, rotation ≥ ${SCALE_MIN_RATIO_TO_ONE_TOKEN}× one token on the same app`,
      measured: `${times(rotation)} (medians ${integer(median(scale.rotation))} vs ${integer(median(scale.oneToken))} req/s), ${integer(held)} held`,
      met: rotation >= SCALE_MIN_RATIO_TO_ONE_TOKEN && held >= scale.tokens,
    },
    ...bursts.map((burst) => ({
      target: `Sample app, ${ADAPTER_NAMES[burst.adapter]}: ${integer(burst.requests)} concurrent requests on a cold key set → exactly one JWKS fetch`,
      measured: `${burst.jwksFetches} fetch(es); ${integer(burst.statuses['200'] ?? 0)} answered 200`,
      met: burst.jwksFetches === 1 && burst.statuses['200'] === burst.requests,
    })),
  ];
}
