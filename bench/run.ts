import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, type AppProcess, type IssuerSettings } from './lib/app-process';
import { installChildCleanup } from './lib/child';
import { measureColdStart, type ColdStartResult } from './lib/cold-start';
import { parseConfig, type BenchConfig } from './lib/config';
import { startJwksServer, type JwksServer } from './lib/jwks-server';
import type { TokenFile } from './lib/load-job';
import { startLoadGenerator, type LoadGenerator } from './lib/load-generator';
import { machineInfo } from './lib/machine';
import { measureCases } from './lib/measure-cases';
import { startMicroBenchmark, type MicroBenchmark } from './lib/micro-run';
import { REPO_ROOT } from './lib/paths';
import { pinning, setPinning } from './lib/pinning';
import { profileGuardedRoute, type RouteProfile } from './lib/profile-route';
import { renderReport } from './lib/report';
import { APPS, CASES, type AppDef, type CaseDef } from './lib/scenarios';
import { summarize } from './lib/summary';
import { evaluateTargets } from './lib/targets';
import { createIssuerKey, mintToken, mintTokens, type IssuerKey } from './lib/tokens';
import type { MicroRow } from './micro/micro-job';

/**
 * `npm run bench`: every app side by side in one run (BENCHMARKS.md says what and how).
 * `npm run bench:smoke`: the same apps with a few hundred requests each, for CI; exits non-zero
 * unless every one served only 2xx.
 */
const AUDIENCE = 'https://api.bench.local';
const SCOPE = 'list:users';
const STARTED = Date.now();
const LOAD_AT_START = loadavg()[0] ?? Number.NaN;

function log(line: string): void {
  console.error(`[bench ${((Date.now() - STARTED) / 1000).toFixed(1).padStart(5)} s] ${line}`);
}

/** Everything the run does is bounded; this is the last resort if something still hangs. */
function startWatchdog(config: BenchConfig, caseCount: number): void {
  const perCase = config.amount === undefined ? config.durationSeconds + 2 : 2;
  const seconds = 180 + caseCount * (config.rounds + 1) * perCase * 2;
  setTimeout(() => {
    log(`gave up after ${seconds} s`);
    process.exit(2);
  }, seconds * 1000).unref();
}

async function writeTokens(
  key: IssuerKey,
  issuer: IssuerSettings,
  count: number,
  dir: string,
): Promise<string> {
  const started = Date.now();
  const file: TokenFile = {
    one: mintToken(key, issuer, 0),
    distinct: await mintTokens(key, issuer, count),
  };
  const path = join(dir, 'tokens.json');
  writeFileSync(path, JSON.stringify(file));
  log(`minted ${count + 1} tokens in ${Date.now() - started} ms`);
  return path;
}

/** What the run starts up front (in parallel, while the tokens are minted). */
interface Fleet {
  readonly apps: Map<string, AppProcess>;
  readonly coldApps: AppProcess[];
  micro: MicroBenchmark | undefined;
  load: LoadGenerator | undefined;
}

async function startFleet(
  config: BenchConfig,
  cases: readonly CaseDef[],
  fleet: Fleet,
  issuer: IssuerSettings,
  jwks: JwksServer,
  tokensFile: () => Promise<string>,
): Promise<void> {
  const selected = (id: string): boolean => !config.only || config.only.test(id);
  const appDefs = [...new Map(cases.map((def) => [def.app.id, def.app])).values()];
  const coldDefs = [APPS.oursExpress, APPS.oursFastify].filter((def) => selected(`${def.id}:cold`));
  log(`${cases.length} cases on ${appDefs.length} apps; pinning ${pinning() ? 'on' : 'off'}`);
  // One Promise.all, so a child that fails to start fails the run at once.
  await Promise.all([
    ...appDefs.map(async (def) => {
      fleet.apps.set(def.id, await startApp(def, issuer, jwks));
    }),
    // Apps for the cold key-set burst: started now, but no request reaches them until then.
    ...coldDefs.map(async (def: AppDef) => {
      fleet.coldApps.push(await startApp(def, issuer, jwks, { jwksName: `${def.id}-cold` }));
    }),
    selected('micro')
      ? startMicroBenchmark().then((micro) => {
          fleet.micro = micro;
        })
      : Promise.resolve(),
    tokensFile()
      .then(startLoadGenerator)
      .then((load) => {
        fleet.load = load;
      }),
  ]);
}

async function main(): Promise<number> {
  installChildCleanup();
  const config = parseConfig(process.argv.slice(2), process.env);
  setPinning(config.pin);
  const cases = CASES.filter((def) => !config.only || config.only.test(def.id));
  startWatchdog(config, cases.length);
  const key = createIssuerKey();
  const jwks = await startJwksServer(key.jwks, config.jwksDelayMs);
  const issuer: IssuerSettings = { issuer: `${jwks.origin}/`, audience: AUDIENCE, scope: SCOPE };
  const workDir = mkdtempSync(join(tmpdir(), 'oauth-jwt-bench-'));
  const fleet: Fleet = { apps: new Map(), coldApps: [], micro: undefined, load: undefined };
  const stopAll = async (): Promise<void> => {
    const running = [...fleet.apps.values(), ...fleet.coldApps, fleet.micro, fleet.load];
    fleet.apps.clear();
    fleet.coldApps.length = 0;
    fleet.micro = undefined;
    fleet.load = undefined;
    await Promise.all(running.map((child) => child?.stop() ?? Promise.resolve()));
  };
  try {
    await startFleet(config, cases, fleet, issuer, jwks, () =>
      writeTokens(key, issuer, config.distinctTokens, workDir),
    );
    const { apps, coldApps, micro, load } = fleet;
    if (!load) throw new Error('the load generator did not start');
    const failures: string[] = [];
    const measurements = await measureCases(cases, { config, apps, load, failures, log });
    const jwksFetches = Object.fromEntries(
      [...apps.values()].map((app) => [app.def.id, jwks.fetchCount(app.jwksName)]),
    );
    await Promise.all([...apps.values()].map((app) => app.stop()));
    apps.clear();

    const cold: ColdStartResult[] = [];
    for (const app of coldApps) {
      const result = await measureColdStart(app, config.coldRequests, jwks, load);
      await app.stop();
      if ((result.statuses['200'] ?? 0) !== result.requests) {
        failures.push(`${app.def.id} cold key set: ${JSON.stringify(result.statuses)}`);
      }
      log(
        `cold key set ${app.def.id}: ${result.jwksFetches} JWKS fetch(es), ${JSON.stringify(result.statuses)}`,
      );
      cold.push(result);
    }

    let microRows: MicroRow[] = [];
    if (micro) {
      microRows = await micro.run({
        issuer: issuer.issuer,
        audience: issuer.audience,
        scope: issuer.scope,
        jwksUriCached: jwks.uriFor('micro-cached'),
        jwksUriUncached: jwks.uriFor('micro-uncached'),
        token: mintToken(key, issuer, 0),
        batches: config.microBatches,
        batchMs: config.microBatchMs,
      });
      await micro.stop();
      for (const row of microRows)
        log(`micro  ${row.label}: ${row.microsPerCall.toFixed(2)} µs/call`);
    }

    const profiles: RouteProfile[] = [];
    if (config.profile) {
      const settings = {
        warmupSeconds: config.warmupSeconds || 1,
        seconds: config.durationSeconds,
        connections: config.connections,
      };
      for (const def of [APPS.oursExpress, APPS.oursNoCacheExpress]) {
        profiles.push(await profileGuardedRoute(def, settings, issuer, jwks, load));
        log(`profiled ${def.id}`);
      }
    }

    const summaries = summarize(measurements);
    const report = renderReport({
      config,
      machine: machineInfo(REPO_ROOT),
      pinned: pinning(),
      summaries,
      targets: evaluateTargets(summaries, cold, microRows, config.distinctTokens),
      cold,
      micro: microRows,
      profiles,
      jwksFetches,
      failures,
      elapsedSeconds: (Date.now() - STARTED) / 1000,
      loadAverageBefore: LOAD_AT_START,
    });
    console.log(report);
    // A run with failures is reported on the console only; it never replaces a good report.
    if (config.reportFile && failures.length === 0) {
      const path = resolve(REPO_ROOT, config.reportFile);
      writeFileSync(path, report);
      log(`wrote ${path}`);
    }
    if (failures.length > 0) {
      log(`FAILED: ${failures.length} run(s) did not serve only 2xx:\n  ${failures.join('\n  ')}`);
      return 1;
    }
    return 0;
  } finally {
    await stopAll();
    await jwks.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
