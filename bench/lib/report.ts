import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { HttpAdapterName } from '../../src/http-adapter';
import { ADAPTER_NAMES, ADAPTERS, minimalId, roundCases, sampleId } from './cases';
import { MICRO_PATHS, type BreakdownVariant, type MicroResult } from './micro';
import { CALIBRATION_RANGE, MAX_LOAD_AVERAGE, type Sanity } from './sanity';
import { SCALE_MAX_BYTES } from './scale';
import type { Settings } from './settings';
import {
  fixed,
  integer,
  mebibytes,
  median,
  pairedDifferences,
  pairedRatio,
  quartiles,
  range,
  times,
} from './stats';
import type { RunFigures, Target } from './targets';

export const BUSY_BANNER = '**BUSY MACHINE — figures not trusted.**';
/** autocannon above this share of its core may have been the limit, not the server. */
const CLIENT_BOUND_PERCENT = 90;

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
      row(
        sampleId(adapter, 'admit-only'),
        `${name}: the same, JwtAuthGuard only admitting (ceiling of any guard)`,
        open,
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
    'AppModule.register(config), setupApp and setupDocs as src/main.ts builds them, with the partner resolver; the guarded route with one partner token (cached after its first request). The third row of each adapter is the same app in its own process, its JwtAuthGuard reduced to putting the first request\'s principal and partner on every later request (bench/apps/admit-only.ts): no guard can cost less on that route, so its ratio is the ceiling of the target. req/s: the median over the rounds, and the lowest–highest; "× public": the median of the per-round ratios to `GET /health` of the same app. † autocannon used ≥ 90% of its core: the client may have been the limit.',
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
    "## Where the guarded request's extra time goes",
    '',
    `The sample app and a keep-alive client (10 connections) in one process, CPU µs per request of both together: ${settings.breakdownBatches} interleaved batches of ${integer(settings.breakdownRequests)} requests per variant, each variant answering one step of JwtAuthGuard with a constant (bench/micro/breakdown.ts). A cell is the median of the per-batch differences between two variants, so it is that step's cost on a real request (cold CPU caches, real request objects), which the in-process chain above does not see; in brackets the middle half of those differences. Express costs several times Fastify per request here, so its differences spread wider.`,
    '',
    ...table(
      ['Step', ...ADAPTERS.map((adapter) => `${ADAPTER_NAMES[adapter]} µs`)],
      breakdownRows(micro),
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

/** The breakdown's rows: each a difference of two variants, per adapter. */
function breakdownRows(micro: MicroResult): string[][] {
  const rows: [string, BreakdownVariant, BreakdownVariant][] = [
    ['guarded `GET /partners/me` over public `GET /health`', 'guarded', 'public'],
    [
      '… of which the token look-up (SHA-256 digest of the token, LRU, expiry and key checks)',
      'guarded',
      'no token look-up',
    ],
    [
      '… the token look-up, were the cache keyed by the token itself (holding bearer tokens; not done)',
      'token keyed as it is',
      'no token look-up',
    ],
    [
      '… of which the partner look-up (partner cache, entitlements)',
      'guarded',
      'no partner look-up',
    ],
    [
      '… of which all of JwtAuthGuard (reading the header, both look-ups, the principal)',
      'guarded',
      'guard only admits',
    ],
    [
      '… left with a guard that only admits (Nest: @Client(), ScopesGuard, ClaimsGuard)',
      'guard only admits',
      'public',
    ],
  ];
  return rows.map(([label, a, b]) => [
    label,
    ...ADAPTERS.map((adapter) => {
      const variants = micro.breakdown[adapter];
      const differences = pairedDifferences(variants[a], variants[b]);
      const [low, high] = quartiles(differences);
      return `${fixed(median(differences), 1)} (${fixed(low, 1)} to ${fixed(high, 1)})`;
    }),
  ]);
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
