import { relative } from 'node:path';
import type { MicroRow } from '../micro/micro-job';
import type { ColdStartResult } from './cold-start';
import type { BenchConfig } from './config';
import { fixed, integer, markdownTable, megabytes, ratio } from './format';
import type { MachineInfo } from './machine';
import type { SelfTime } from './cpu-profile';
import { REPO_ROOT } from './paths';
import type { RouteProfile } from './profile-route';
import { APPS, BASELINE_CASE_ID } from './scenarios';
import { CLIENT_BOUND_PERCENT, type CaseSummary } from './summary';
import type { TargetResult } from './targets';

export interface ReportInput {
  readonly config: BenchConfig;
  readonly machine: MachineInfo;
  readonly pinned: boolean;
  readonly summaries: ReadonlyMap<string, CaseSummary>;
  readonly targets: readonly TargetResult[];
  readonly cold: readonly ColdStartResult[];
  readonly micro: readonly MicroRow[];
  readonly profiles: readonly RouteProfile[];
  readonly jwksFetches: Readonly<Record<string, number>>;
  readonly failures: readonly string[];
  readonly elapsedSeconds: number;
  /** 1-minute load average just before the run: other work on the machine. */
  readonly loadAverageBefore: number;
}

/** BENCHMARKS.md (also printed): machine, the side-by-side table, targets, details. */
export function renderReport(input: ReportInput): string {
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${input.machine.date}; run it again rather than editing this file.`,
    '',
    ...machineSection(input),
    ...resultsSection(input),
    ...targetsSection(input),
    ...detailsSection(input),
    ...microSection(input),
    ...profileSection(input),
    ...methodSection(input),
  ].join('\n');
}

function machineSection({
  config,
  machine,
  pinned,
  elapsedSeconds,
  loadAverageBefore,
}: ReportInput): string[] {
  return [
    '## Machine and settings',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; Node ${machine.node}`,
    `- ${pinned ? 'Every server ran alone on core 0 (`taskset -c 0`), autocannon on core 1' : 'Not pinned (smoke mode, `--pin=false`, no taskset or one core): servers and autocannon shared the cores'}`,
    `- ${config.rounds} interleaved round(s) × ${config.amount === undefined ? `${config.durationSeconds} s` : `${config.amount} requests`} per case, ${warmup(config)}; ${config.connections} connections; ${integer(config.distinctTokens)} distinct tokens; JWKS responses delayed ${config.jwksDelayMs} ms; whole run ${integer(elapsedSeconds)} s`,
    `- 1-minute load average just before the run: ${fixed(loadAverageBefore, 2)} (well above 0 means other work shared the two cores, and the numbers are noisy)`,
    `- Packages: ${Object.entries(machine.packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    '',
  ];
}

function warmup(config: BenchConfig): string {
  if (config.warmupSeconds === 0) return 'no warm-up';
  return `after ${config.amount === undefined ? `${config.warmupSeconds} s` : `${config.amount} requests`} of warm-up`;
}

function resultsSection({ summaries }: ReportInput): string[] {
  const rows = [...summaries.values()].map((summary) => [
    summary.def.label,
    `${integer(summary.requestsPerSecond)}${summary.clientBound ? ' †' : ''}`,
    fixed(summary.latencyP50Ms, 0),
    fixed(summary.latencyP99Ms, 0),
    fixed(summary.serverCpuMicros, 0),
    megabytes(summary.rssBytes),
    ratio(summary.ratioToPublic),
    ratio(summary.ratioToBaseline),
  ]);
  return [
    '## Results',
    '',
    `Medians over the rounds. "× public": req/s over the same app's public route (for the distinct-token case, over our Express app's public route); "× bare Nest": over bare NestJS on Express (\`${BASELINE_CASE_ID}\`); each the median of the per-round ratios (one round's cases run seconds apart, which cancels most drift of a busy machine). Server CPU: the app process's user + system time divided by the responses.`,
    '',
    markdownTable(
      [
        'Case',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU µs/req',
        'RSS MB',
        '× public',
        '× bare Nest',
      ],
      rows,
      [false, true, true, true, true, true, true, true],
    ),
    '',
    `† autocannon used ≥ ${CLIENT_BOUND_PERCENT}% of its core: the client, not the server, may have been the limit, so this req/s understates the server (server CPU µs/req stays valid).`,
    '',
  ];
}

function targetsSection({ targets }: ReportInput): string[] {
  const mark = (met: boolean | undefined): string =>
    met === undefined ? 'not measured' : met ? 'met' : '**not met**';
  return [
    '## Targets',
    '',
    markdownTable(
      ['Target', 'Measured', 'Result'],
      targets.map((target) => [target.target, target.measured, mark(target.met)]),
    ),
    '',
  ];
}

function detailsSection({ config, summaries, cold, jwksFetches, failures }: ReportInput): string[] {
  const { distinctTokens } = config;
  const lines: string[] = ['## Details', ''];
  const auth0 = summaries.get(`${APPS.auth0Express.id}:guarded`);
  const bare = summaries.get(`${APPS.bareExpress.id}:public`);
  if (auth0 && bare) {
    lines.push(
      `- express-oauth2-jwt-bearer (Auth0's SDK, verifies every request): ${integer(auth0.requestsPerSecond)} req/s = ${ratio(auth0.requestsPerSecond / bare.requestsPerSecond)} bare Express (${integer(bare.requestsPerSecond)} req/s), ${fixed(auth0.serverCpuMicros - bare.serverCpuMicros, 0)} µs more server CPU per request.`,
    );
  }
  const distinct = summaries.get(`${APPS.oursDistinctExpress.id}:guarded`);
  const measurement = distinct?.measurement;
  if (distinct && measurement?.firstPass && measurement.rssBaselineBytes !== undefined) {
    const retained = measurement.samples.map((sample) => sample.retainedHeapBytes ?? Number.NaN);
    const retainedBaseline = measurement.retainedHeapBaselineBytes ?? Number.NaN;
    const perToken = ((retained.at(-1) ?? Number.NaN) - retainedBaseline) / distinctTokens;
    lines.push(
      `- Distinct tokens: first pass, every request a cache miss: ${integer(measurement.firstPass.load.requestsPerSecond)} req/s; then all cached: ${integer(distinct.requestsPerSecond)} req/s.`,
      `- Distinct tokens, memory: RSS ${megabytes(measurement.rssBaselineBytes)} MB after one-token warm-up, ${megabytes(measurement.firstPass.rssBytes)} MB after the first pass, then per round ${measurement.samples.map((sample) => megabytes(sample.rssBytes)).join(', ')} MB. Heap after a full GC: ${megabytes(retainedBaseline)} MB after one-token warm-up, then per round ${retained.map((bytes) => megabytes(bytes)).join(', ')} MB, about ${integer(perToken)} bytes per cached token.`,
    );
  }
  for (const result of cold) {
    lines.push(
      `- Cold key set (${result.app.label}): ${integer(result.requests)} concurrent guarded requests → ${result.jwksFetches} JWKS fetch(es); statuses ${JSON.stringify(result.statuses)}; all answered in ${integer(result.wallMs)} ms.`,
    );
  }
  lines.push(
    `- JWKS fetches per app over the whole run: ${Object.entries(jwksFetches)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')}.`,
  );
  if (failures.length > 0) {
    lines.push(
      '',
      '**Runs that did not serve only 2xx:**',
      '',
      ...failures.map((failure) => `- ${failure}`),
    );
  }
  lines.push('');
  return lines;
}

function microSection({ micro, config }: ReportInput): string[] {
  if (micro.length === 0) return [];
  return [
    '## Micro-benchmark (in process, no HTTP)',
    '',
    `Our guards' \`canActivate\` driven through a Nest \`ExecutionContextHost\` around a fresh plain request object per call (what Nest's router builds), each call awaited; median of ${config.microBatches} batches of ${config.microBatchMs} ms; same token throughout.`,
    '',
    markdownTable(
      ['Path', 'µs/call', 'calls/s'],
      micro.map((row) => [
        row.label,
        fixed(row.microsPerCall, 2),
        integer(1e6 / row.microsPerCall),
      ]),
      [false, true, true],
    ),
    '',
  ];
}

function profileSection({ profiles }: ReportInput): string[] {
  const lines: string[] = [];
  const selfTable = (title: string, rows: readonly SelfTime[]): string =>
    markdownTable(
      [title, 'self %'],
      rows.map((row) => [row.name, fixed(row.selfPercent, 1)]),
      [false, true],
    );
  for (const profile of profiles) {
    const { summary } = profile;
    lines.push(
      `## CPU profile: ${profile.app.label}, guarded route`,
      '',
      `V8's sampling profiler (as \`node --cpu-prof\`), started after warm-up, over ${profile.seconds} s of autocannon on the guarded route with the one token; self time as a share of the non-idle samples. Our module's lines are those of its compiled JS. Profile: \`${relative(REPO_ROOT, profile.file)}\` (open in Chrome DevTools).`,
      '',
      selfTable('Where the time went', summary.byOrigin),
      '',
      selfTable('Top functions', summary.topFunctions),
      '',
      selfTable('Our module’s functions', summary.ourFunctions),
      '',
    );
  }
  return lines;
}

function methodSection({ config }: ReportInput): string[] {
  return [
    '## Method',
    '',
    '- A local JWKS server (RSA 2048 key from node:crypto, with a `kid`) on 127.0.0.1:0, one path per app so fetches are counted per app; RS256 tokens minted locally (iss, aud, sub, client_id, scope `list:users`, typ `at+jwt`, iat, exp a day ahead, jti).',
    '- Every app is a separate Node process serving `{"ok":true}` on `/public` and `/guarded`; autocannon runs in another process. All on 127.0.0.1.',
    `- Each case is warmed up, then measured once per round; rounds interleave the apps (each round starts at a different one) so drift on the machine spreads over all of them. Each measured run follows ${config.primeSeconds} s of unmeasured load on the same route (an app idle since its last turn starts slower); the distinct-token case instead makes one pass over all its tokens, so the run sees the steady state.`,
    '- The floor guard checks only the RS256 signature (node:crypto, KeyObject made once) and parses the claims: the least any JWT guard can cost.',
    "- The cache-off cost target is shown twice: over HTTP, as the difference of two apps' server CPU per request (sensitive to noise), and in process, our guard chain against the floor guard on the same token (the micro-benchmark).",
    '- Memory of the distinct-token case: RSS, and heap in use after a full GC (apps run with `--expose-gc`; the bench collects only when it reads that number, in this case only), which shows what the cache really retains.',
    `- Reproduce: \`npm ci && npm run bench\` (flags: \`npm run bench -- --help\`). This run: rounds=${config.rounds}, duration=${config.durationSeconds}, warmup=${config.warmupSeconds}, prime=${config.primeSeconds}, connections=${config.connections}.`,
    '- Numbers from a shared or busy machine are noisy; compare ratios within one run, not absolute req/s across runs.',
    '',
  ];
}
