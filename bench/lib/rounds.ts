import type { AppProcess } from './app-process';
import type { CaseDef } from './cases';
import { roundOrder } from './cases';
import type { LoadGenerator, LoadJob, LoadResult } from './load';
import type { Settings } from './settings';
import { integer } from './stats';

export interface RunContext {
  readonly settings: Settings;
  readonly apps: ReadonlyMap<string, AppProcess>;
  readonly load: LoadGenerator;
  /** The partner token the guarded routes get. */
  readonly token: string;
  /** Where a run that did not answer only 2xx is recorded. */
  readonly failures: string[];
  readonly log: (line: string) => void;
}

/** One autocannon run of `def` lasting `seconds` (smoke: a fixed number of requests). */
export async function runCase(
  context: RunContext,
  def: CaseDef,
  seconds: number,
  extra: Partial<LoadJob> = {},
): Promise<LoadResult> {
  const { settings, apps, load } = context;
  const app = apps.get(def.app.id);
  if (!app) throw new Error(`${def.app.id} is not running`);
  const result = await load.run({
    url: `${app.origin}${def.path}`,
    connections: settings.connections,
    seconds: settings.amount === undefined ? seconds : settings.seconds,
    ...(settings.amount === undefined ? {} : { amount: settings.amount }),
    ...(def.withToken ? { token: context.token } : {}),
    ...extra,
  });
  if (result.notOk > 0 || result.ok === 0) {
    context.failures.push(`${def.id}: ${result.ok} 2xx, ${result.notOk} other answers or errors`);
  }
  return result;
}

/** Warms every case up, then runs them in interleaved rounds; each case's runs in round order. */
export async function measureRounds(
  context: RunContext,
  cases: readonly CaseDef[],
): Promise<Map<string, LoadResult[]>> {
  const { settings, log } = context;
  if (settings.warmupSeconds > 0) {
    for (const def of cases) await runCase(context, def, settings.warmupSeconds);
    log(`warmed up ${cases.length} cases`);
  }
  const results = new Map<string, LoadResult[]>(cases.map((def) => [def.id, []]));
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const def of roundOrder(cases, round)) {
      if (settings.primeSeconds > 0) await runCase(context, def, settings.primeSeconds);
      const result = await runCase(context, def, settings.seconds);
      results.get(def.id)?.push(result);
      log(
        `round ${round + 1}/${settings.rounds} ${def.id.padEnd(24)} ${integer(result.requestsPerSecond).padStart(7)} req/s, p99 ${result.latencyP99Ms} ms`,
      );
    }
  }
  return results;
}
