import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, type AppProcess } from './lib/app-process';
import { measureBurst, type BurstOutcome } from './lib/burst';
import { ADAPTERS, roundCases, sampleCases } from './lib/cases';
import { CLIENT_CORE, pinSelf, SERVER_CORE } from './lib/child';
import { partnerToken, partnerTokens, startIssuer } from './lib/issuer';
import { LoadGenerator } from './lib/load';
import { runMicro } from './lib/micro';
import { renderReport } from './lib/report';
import { measureRounds, runCase, type RunContext } from './lib/rounds';
import { judgeSanity, settledLoadAverage } from './lib/sanity';
import { measureScale, scaleTokenCache } from './lib/scale';
import { parseSettings } from './lib/settings';
import { integer } from './lib/stats';
import { evaluateTargets } from './lib/targets';

/**
 * `npm run bench`: the sanity check, then the sample app and the minimal apps in interleaved
 * rounds, the scale case, the cold key set and the in-process micro-benchmark; writes
 * BENCHMARKS.md only when the machine was quiet. `-- --quick`: the same, shorter, report in
 * bench/dist/report.md only. `--smoke` (CI): every app and path, few requests, all must be 2xx.
 */
const REPO_ROOT = resolve(__dirname, '..', '..', '..'); // bench/dist/bench/run.js
const STARTED = Date.now();

function log(line: string): void {
  console.error(`[bench ${((Date.now() - STARTED) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  // Read first: what the machine did before this run added its own load (not its compile's).
  const readLoad = () => loadavg()[0] ?? Number.NaN;
  const loadAverage =
    settings.mode === 'smoke' ? readLoad() : await settledLoadAverage(readLoad, log);
  const pinned = settings.pin && pinSelf(CLIENT_CORE);
  const [core, clientCore] = pinned ? [SERVER_CORE, CLIENT_CORE] : [undefined, undefined];
  const limit = settings.mode === 'smoke' ? 300 : 1800;
  setTimeout(() => {
    log(`gave up after ${limit} s`);
    process.exit(2);
  }, limit * 1000).unref();
  log(`${settings.mode} run; load average ${loadAverage.toFixed(2)}; pinned: ${pinned}`);

  const issuer = await startIssuer();
  const token = partnerToken(issuer);
  const workDir = mkdtempSync(join(tmpdir(), 'oauth-jwt-bench-'));
  const apps = new Map<string, AppProcess>();
  const load = await LoadGenerator.start(clientCore);
  const failures: string[] = [];
  const context: RunContext = { settings, apps, load, token, failures, log };
  const start = async (app: AppProcess | Promise<AppProcess>): Promise<void> => {
    const started = await app;
    apps.set(started.def.id, started);
  };
  const stopApps = async (): Promise<void> => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    apps.clear();
  };
  try {
    // The sanity check first: the calibration case alone on the machine.
    const [calibration, ...cases] = roundCases();
    if (!calibration) throw new Error('no calibration case');
    await start(startApp(calibration.app, issuer, core));
    await runCase(context, calibration, Math.max(settings.warmupSeconds, 1));
    const precheck = (await runCase(context, calibration, settings.seconds)).requestsPerSecond;
    const early = judgeSanity(loadAverage, pinned, [precheck]);
    const verdict = early.trusted ? 'quiet' : `BUSY MACHINE (${early.reasons.join('; ')})`;
    log(`calibration ${integer(precheck)} req/s: ${settings.mode === 'smoke' ? '-' : verdict}`);

    // The other apps start on the server core while this core mints the scale case's tokens.
    const defs = new Map(cases.map((def) => [def.app.id, def.app]));
    const [, tokens] = await Promise.all([
      Promise.all([...defs.values()].map((def) => start(startApp(def, issuer, core)))),
      partnerTokens(issuer, settings.scaleTokens),
    ]);
    const tokensFile = join(workDir, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify(tokens));
    log(`${apps.size} apps listening; ${tokens.length} distinct tokens minted`);
    const rounds = await measureRounds(context, [calibration, ...cases]);
    await stopApps();

    const [, guarded] = sampleCases('express');
    const scaleApp = { ...guarded.app, id: 'sample-express-scale' };
    const tokenCache = scaleTokenCache(tokens.length);
    await start(startApp(scaleApp, issuer, core, { tokenCache }));
    const scaleCase = { ...guarded, id: scaleApp.id, app: scaleApp, withToken: false };
    const scale = await measureScale(context, scaleCase, tokensFile, tokens.length);
    await stopApps();

    const bursts: BurstOutcome[] = [];
    for (const adapter of ADAPTERS) {
      const burst = await measureBurst(adapter, issuer, load, settings, token, core);
      bursts.push(burst);
      log(
        `cold key set, ${adapter}: ${burst.jwksFetches} fetch(es), ${JSON.stringify(burst.statuses)}`,
      );
      if (burst.statuses['200'] !== burst.requests) failures.push(`cold key set, ${adapter}`);
    }
    const micro = await runMicro(issuer, token, settings, core);
    log(`micro (µs per request, per batch): ${JSON.stringify(micro)}`);

    if (failures.length > 0) {
      log(`FAILED, not only 2xx answers:\n  ${failures.join('\n  ')}`);
      return 1;
    }
    if (settings.mode === 'smoke') {
      log('smoke: every app and path answered 200');
      return 0;
    }
    const calibrationRuns = rounds.get(calibration.id)?.map((run) => run.requestsPerSecond) ?? [];
    const sanity = judgeSanity(loadAverage, pinned, [precheck, ...calibrationRuns]);
    const figures = { rounds, micro, scale, bursts };
    const elapsedSeconds = (Date.now() - STARTED) / 1000;
    const targets = evaluateTargets(figures);
    const report = renderReport({
      ...{ settings, sanity, figures, targets, elapsedSeconds },
      repoRoot: REPO_ROOT,
    });
    console.log(report);
    mkdirSync(join(REPO_ROOT, 'bench', 'dist'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'bench', 'dist', 'report.md'), report);
    if (settings.mode !== 'full') return 0;
    if (!sanity.trusted) {
      log(`BUSY MACHINE: BENCHMARKS.md not written (${sanity.reasons.join('; ')})`);
      return 3;
    }
    writeFileSync(join(REPO_ROOT, 'BENCHMARKS.md'), report);
    log('wrote BENCHMARKS.md');
    return 0;
  } finally {
    await stopApps();
    await load.stop();
    await issuer.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
