import type { AppProcess } from './app-process';
import type { BenchConfig } from './config';
import type { LoadGenerator } from './load-generator';
import type { LoadJob, LoadResult } from './load-job';
import type { CaseDef } from './scenarios';

/** One autocannon run of a case, with what the server spent on it. */
export interface RunSample {
  readonly load: LoadResult;
  /** Server CPU time (all threads) divided by the responses of the run. */
  readonly serverCpuMicrosPerRequest: number;
  readonly rssBytes: number;
  /** Distinct tokens only: heap in use after a full GC, right after the run. */
  readonly retainedHeapBytes?: number;
}

export interface CaseMeasurement {
  readonly def: CaseDef;
  /** One per round. */
  readonly samples: RunSample[];
  /** Distinct tokens only: the app's RSS after single-token warm-up, before any other token. */
  rssBaselineBytes?: number;
  /** Distinct tokens only: its heap after a full GC at that point. */
  retainedHeapBaselineBytes?: number;
  /** Distinct tokens only: the first pass over all of them (every request a cache miss). */
  firstPass?: RunSample;
}

export interface MeasureContext {
  readonly config: BenchConfig;
  readonly apps: ReadonlyMap<string, AppProcess>;
  readonly load: LoadGenerator;
  /** Where a run that did not serve only 2xx is recorded. */
  readonly failures: string[];
  readonly log: (line: string) => void;
}

/** Warms every case up, then measures them in interleaved rounds. */
export async function measureCases(
  cases: readonly CaseDef[],
  context: MeasureContext,
): Promise<Map<string, CaseMeasurement>> {
  const { config, log } = context;
  const measurements = new Map<string, CaseMeasurement>();
  for (const def of cases) {
    const measurement: CaseMeasurement = { def, samples: [] };
    measurements.set(def.id, measurement);
    if (def.auth === 'distinct') {
      await sample(def, context, timedJob(def, context, config.warmupSeconds || 1, 'one'));
      const baseline = await appOf(def, context).stats(true);
      measurement.rssBaselineBytes = baseline.rssBytes;
      measurement.retainedHeapBaselineBytes = baseline.heapUsedBytes;
      measurement.firstPass = await sample(def, context, fullPassJob(def, context));
      log(
        `warm-up  ${def.id}  first pass over ${config.distinctTokens} tokens: ${rate(measurement.firstPass)}`,
      );
    } else if (config.warmupSeconds > 0) {
      const warm = await sample(def, context, timedJob(def, context, config.warmupSeconds));
      log(`warm-up  ${def.id}  ${rate(warm)}`);
    }
  }
  for (let round = 0; round < config.rounds; round += 1) {
    for (const def of roundOrder(cases, round, config.rounds)) {
      if (def.auth === 'distinct') {
        // One pass first, so the measured run sees the steady state (all cached) whatever the
        // cache TTL did since the last round.
        await sample(def, context, fullPassJob(def, context));
      } else if (config.primeSeconds > 0) {
        // An app idle since its last turn starts slower (heap shrunk, caches cold): not measured.
        await sample(def, context, timedJob(def, context, config.primeSeconds));
      }
      let measured = await sample(def, context, timedJob(def, context, config.durationSeconds));
      if (def.auth === 'distinct') {
        const retained = await appOf(def, context).stats(true);
        measured = { ...measured, retainedHeapBytes: retained.heapUsedBytes };
      }
      measurements.get(def.id)?.samples.push(measured);
      log(`round ${round + 1}/${config.rounds}  ${def.id}  ${rate(measured)}`);
    }
  }
  return measurements;
}

/**
 * The cases of one round: the same cyclic order every round, started at a different app each
 * round so no app is always measured first; an app's cases stay together (public, then guarded)
 * so their ratio compares runs made seconds apart.
 */
function roundOrder(cases: readonly CaseDef[], round: number, rounds: number): CaseDef[] {
  const groups: CaseDef[][] = [];
  for (const def of cases) {
    const last = groups.at(-1);
    if (last?.[0]?.app.id === def.app.id) last.push(def);
    else groups.push([def]);
  }
  const shift = (round * Math.ceil(groups.length / rounds)) % Math.max(groups.length, 1);
  return [...groups.slice(shift), ...groups.slice(0, shift)].flat();
}

function appOf(def: CaseDef, context: MeasureContext): AppProcess {
  const app = context.apps.get(def.app.id);
  if (!app) throw new Error(`app ${def.app.id} is not running`);
  return app;
}

function timedJob(
  def: CaseDef,
  context: MeasureContext,
  seconds: number,
  auth: LoadJob['auth'] = def.auth,
): LoadJob {
  const { config } = context;
  return {
    url: `${appOf(def, context).origin}/${def.route}`,
    connections: config.connections,
    // Smoke mode sends a fixed number of requests, bounded by the duration.
    durationSeconds: config.amount === undefined ? seconds : config.durationSeconds,
    ...(config.amount === undefined ? {} : { amount: config.amount }),
    auth,
  };
}

/** Every distinct token once, spread over the connections. */
function fullPassJob(def: CaseDef, context: MeasureContext): LoadJob {
  const { distinctTokens, connections } = context.config;
  return {
    url: `${appOf(def, context).origin}/${def.route}`,
    connections: Math.min(connections, distinctTokens),
    durationSeconds: Math.max(60, distinctTokens / 100),
    amount: distinctTokens,
    auth: 'distinct',
  };
}

async function sample(def: CaseDef, context: MeasureContext, job: LoadJob): Promise<RunSample> {
  const app = appOf(def, context);
  const before = await app.stats();
  const load = await context.load.run(job);
  const after = await app.stats();
  const responses = load.ok + load.non2xx;
  if (load.non2xx > 0 || load.errors > 0 || load.ok === 0) {
    context.failures.push(
      `${def.id}: ${load.ok} 2xx, ${load.non2xx} non-2xx, ${load.errors} errors (${load.timeouts} timeouts)`,
    );
  }
  return {
    load,
    serverCpuMicrosPerRequest:
      responses > 0 ? (after.cpuMicros - before.cpuMicros) / responses : NaN,
    rssBytes: after.rssBytes,
  };
}

function rate(run: RunSample): string {
  const { load } = run;
  return `${Math.round(load.requestsPerSecond)} req/s, p99 ${load.latencyP99Ms} ms, ${run.serverCpuMicrosPerRequest.toFixed(0)} µs CPU/req${load.non2xx + load.errors > 0 ? `, ${load.non2xx} non-2xx, ${load.errors} errors` : ''}`;
}
