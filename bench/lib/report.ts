import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { HttpAdapterName } from '../../src/http-adapter';
import { SAMPLE_VARIANTS, type SampleVariant } from '../apps/sample-variants';
import { ADAPTER_NAMES, ADAPTERS, minimalId, roundCases, sampleId } from './cases';
import { MICRO_PATHS } from './micro';
import { CALIBRATION_RANGE, MAX_LOAD_AVERAGE, type Sanity } from './sanity';
import { SCALE_MAX_BYTES } from './scale';
import type { Settings } from './settings';
import { fixed, integer, mebibytes, median, pairedRatio, range, times } from './stats';
import type { RunFigures, Target } from './targets';

export const BUSY_BANNER = '**BUSY MACHINE — figures not trusted.**';
/** autocannon above this share of its core may have been the limit, not the server. */
const CLIENT_BOUND_PERCENT = 90;

const VARIANT_LABELS: Record<SampleVariant, string> = {
  'token-as-key': 'token cache keyed by the token itself (not its SHA-256)',
  'no-token-lookup': 'no token look-up at all',
  'admit-only': 'JwtAuthGuard only admitting (ceiling of any guard)',
};

const MICRO_LABELS = {
  warm: 'Sample app, `GET /users`: whole guard chain, warm (token and partner cached)',
  cold: 'Sample app, `GET /users`: whole guard chain, cold (token cache off)',
  floor: 'Signature-only floor guard',
  verifier: 'passport-jwt’s verifier alone (jsonwebtoken.verify, same key and checks)',
  noop: 'One guard returning true (Nest’s own share)',
};

export interface ReportInput {
  readonly settings: Settings;
  readonly sanity: Sanity;
  readonly figures: RunFigures;
  readonly targets: readonly Target[];
  readonly elapsedSeconds: number;
  readonly repoRoot: string;
}

/** BENCHMARKS.md: the sanity check, the targets, then the figures behind them. */
export function renderReport(input: ReportInput): string {
  const { settings, sanity, figures } = input;
  const { rounds, micro, scale } = figures;
  const rps = (id: string): number[] => rounds.get(id)?.map((run) => run.requestsPerSecond) ?? [];
  const clientBound = (id: string): boolean =>
    median(rounds.get(id)?.map((run) => run.clientCpuPercent) ?? []) >= CLIENT_BOUND_PERCENT;
  const row = (id: string, label: string, over: string): string[] => [
    `${label}${clientBound(id) ? ' †' : ''}`,
    integer(median(rps(id))),
    range(rps(id), integer),
    fixed(median(rounds.get(id)?.map((run) => run.latencyP99Ms) ?? []), 1),
    times(pairedRatio(rps(id), rps(over))),
  ];
  const labels = new Map(roundCases().map((def) => [def.id, def.app.label]));
  const minimalRows = (adapter: HttpAdapterName): string[][] =>
    (['nest-bare', 'ours', 'ours-cold', 'passport-jwt', 'floor'] as const).map((prefix) => {
      const id = minimalId(prefix, adapter);
      return row(id, labels.get(id) ?? id, minimalId('nest-bare', adapter));
    });
  const sampleRows = (adapter: HttpAdapterName): string[][] => {
    const [open, guarded] = [sampleId(adapter, 'public'), sampleId(adapter, 'guarded')];
    const name = ADAPTER_NAMES[adapter];
    return [
      row(open, `${name}: public \`GET /health\``, open),
      row(guarded, `${name}: guarded \`GET /partners/me\``, open),
      ...SAMPLE_VARIANTS.map((variant) =>
        row(sampleId(adapter, variant), `${name}: guarded, ${VARIANT_LABELS[variant]}`, open),
      ),
    ];
  };
  const added = (scale.afterFill.cachedTokens ?? 0) - (scale.baseline.cachedTokens ?? 0);
  const perToken = (scale.afterFill.heapUsedBytes - scale.baseline.heapUsedBytes) / added;
  const verdict = sanity.trusted ? 'quiet machine, figures trusted.' : BUSY_BANNER;
  return [
    '# Benchmarks',
    '',
    ...(sanity.trusted ? [] : [`> ${BUSY_BANNER} ${sanity.reasons.join('; ')}.`, '']),
    `Written by \`npm run bench\` (bench/run.ts, ${settings.mode} run) on ${new Date().toISOString()}; run it again rather than editing this file.`,
    '',
    '## Sanity check',
    '',
    `- 1-minute load average before the run: ${fixed(sanity.loadAverage)} (at most ${MAX_LOAD_AVERAGE}).`,
    `- Calibration, bare node:http hello world, before the rest and then once per round: ${sanity.calibration.map(integer).join(', ')} req/s (expected ${integer(CALIBRATION_RANGE.min)}–${integer(CALIBRATION_RANGE.max)} on this machine).`,
    `- Verdict: ${verdict} ${sanity.reasons.join('; ')}`,
    '',
    '## Targets',
    '',
    ...table(
      ['Target', 'Measured', 'Result'],
      input.targets.map((t) => [t.target, t.measured, t.met ? 'met' : '**not met**']),
      'lll',
    ),
    '',
    '## The sample app as users run it',
    '',
    'AppModule.register(config), setupApp and setupDocs as src/main.ts builds them, with the partner resolver; the guarded route with one partner token (cached after its first request). The rows after them take the guarded request apart: each is the same app in its own process with one step of JwtAuthGuard changed (bench/apps/sample-variants.ts): its token cache found by the token itself instead of the token\'s SHA-256 digest (what a cache holding bearer tokens would pay), no token look-up at all, and the guard only putting the first request\'s principal and partner on every later request, the ceiling of any guard on that route. req/s: the median over the rounds, and the lowest–highest; "× public": the median of the per-round ratios to `GET /health` of the same app. † autocannon used ≥ 90% of its core: the client may have been the limit.',
    '',
    ...table(['Case', 'req/s', 'range', 'p99 ms', '× public'], ADAPTERS.flatMap(sampleRows)),
    '',
    '## Minimal apps: each guard alone',
    '',
    'One Nest route, `GET /guarded` (scope `list:users`), behind each guard; "× bare": the median of the per-round ratios to the same route with no guard.',
    '',
    ...table(['Case', 'req/s', 'range', 'p99 ms', '× bare'], ADAPTERS.flatMap(minimalRows)),
    '',
    '## In process (no HTTP)',
    '',
    `Each path as Nest's router runs a route's guards (GuardsConsumer.tryActivate, a fresh request per call, every call awaited): ${settings.microBatches} interleaved batches of ${settings.microBatchMs} ms per path, after one unmeasured batch each.`,
    '',
    ...table(
      ['Path', 'µs per request', 'range over batches'],
      MICRO_PATHS.map((path) => [
        MICRO_LABELS[path],
        fixed(median(micro[path])),
        range(micro[path], fixed),
      ]),
    ),
    '',
    "The cold path by part: V8's sampling profiler over ten more batches of it (bench/micro/profile-shares.ts); a share times the median µs above. Sampling slows natives most, so the signature check's share is an upper bound.",
    '',
    ...table(
      ['Part of the cold chain', 'share', '≈ µs'],
      Object.entries(micro.coldShares)
        .sort(([, a], [, b]) => b - a)
        .map(([part, share]) => [
          part,
          `${fixed(share * 100, 0)}%`,
          fixed(share * median(micro.cold), 1),
        ]),
      'lrr',
    ),
    '',
    '## Scale and cold start',
    '',
    `- ${integer(scale.tokens)} distinct tokens of one partner, sample app on Express, tokenCache { maxEntries: ${integer(scale.tokens + 1)}, maxBytes: ${mebibytes(SCALE_MAX_BYTES)} }: the first pass (every request verified) ${integer(scale.fill.requestsPerSecond)} req/s; then, per round, rotation ${scale.rotation.map(integer).join(', ')} vs one token ${scale.oneToken.map(integer).join(', ')} req/s.`,
    `- Memory after a full GC: heap ${mebibytes(scale.baseline.heapUsedBytes)} after the one-token warm-up, ${mebibytes(scale.afterFill.heapUsedBytes)} after the first pass (${integer(perToken)} bytes per token held), ${mebibytes(scale.afterRounds.heapUsedBytes)} after the rounds; RSS ${mebibytes(scale.baseline.rssBytes)}, ${mebibytes(scale.afterFill.rssBytes)}, ${mebibytes(scale.afterRounds.rssBytes)}; tokens held ${integer(scale.afterFill.cachedTokens ?? Number.NaN)}, then ${integer(scale.afterRounds.cachedTokens ?? Number.NaN)}.`,
    ...figures.bursts.map(
      (burst) =>
        `- Cold key set, ${ADAPTER_NAMES[burst.adapter]}: ${integer(burst.requests)} concurrent requests on a fresh sample app, its JWKS answering after ${settings.jwksDelayMs} ms: ${burst.jwksFetches} JWKS fetch(es), answers ${JSON.stringify(burst.statuses)}, the last after ${integer(burst.wallMs)} ms.`,
    ),
    '',
    '## Machine and method',
    '',
    `- ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.version}; ${versions(input.repoRoot)}.`,
    `- ${sanity.pinned ? 'Each app alone on core 0 (`taskset`), autocannon and the bench on core 1' : 'Not pinned to cores'}; each app its own process on 127.0.0.1; tokens and keys from the public test kit (\`createTestIssuer\`, RS256).`,
    `- ${settings.rounds} interleaved rounds (every case once per round, each round starting one app later, an app's cases back to back) of ${settings.seconds} s per case after ${settings.primeSeconds} s of unmeasured load, after ${settings.warmupSeconds} s of warm-up per case; autocannon with ${settings.connections} connections. Whole run ${integer(input.elapsedSeconds)} s.`,
    '- Compare ratios within one run, not absolute req/s across runs or machines.',
    '',
  ].join('\n');
}

/** A Markdown table with padded columns; `align` has a letter per column, `l` or `r`. */
function table(header: string[], rows: string[][], align = 'lrrrr'): string[] {
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => (cells[column] ?? '').length)),
  );
  const pad = (cell: string, column: number): string =>
    align[column] === 'l' ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0);
  const rule = widths.map((width, column) =>
    align[column] === 'l' ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`,
  );
  return [header, rule, ...rows].map((cells) => `| ${cells.map(pad).join(' | ')} |`);
}

function versions(repoRoot: string): string {
  const names = ['@nestjs/core', 'express', 'fastify', 'passport-jwt', 'jwks-rsa', 'autocannon'];
  return names
    .map((name) => {
      const file = join(repoRoot, 'node_modules', name, 'package.json');
      return `${name} ${(JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version}`;
    })
    .join(', ');
}
