/** How much the bench measures; from `--name=value` flags, else `BENCH_NAME` env, else defaults. */
export interface BenchConfig {
  /** CI's check: every app serves 200s; fixed small request counts, no BENCHMARKS.md. */
  readonly smoke: boolean;
  /** Interleaved rounds; each case reports the median over them. */
  readonly rounds: number;
  /** Length of one measured autocannon run. */
  readonly durationSeconds: number;
  /** Length of the warm-up run of each case (JIT, caches, key set); 0: none. */
  readonly warmupSeconds: number;
  /** An unmeasured run of each case right before its measured one; 0: none. */
  readonly primeSeconds: number;
  /** Pin servers to core 0 and autocannon to core 1 (with taskset, where it works). */
  readonly pin: boolean;
  /** Smoke mode: requests per run instead of a duration. */
  readonly amount: number | undefined;
  readonly connections: number;
  /** Distinct valid tokens for the cache-pressure case. */
  readonly distinctTokens: number;
  /** Concurrent requests on a cold key set. */
  readonly coldRequests: number;
  /** Delay of every JWKS response (lets cold requests pile up behind one fetch). */
  readonly jwksDelayMs: number;
  readonly microBatches: number;
  readonly microBatchMs: number;
  /** Profile our guarded route (warm and cache off) with --cpu-prof. */
  readonly profile: boolean;
  /** Run only the cases whose id matches. */
  readonly only: RegExp | undefined;
  /** Where the report goes; undefined: print only. */
  readonly reportFile: string | undefined;
}

const HELP = `npm run bench [-- flags]     (flags or BENCH_<NAME> environment variables)
  --smoke                 quick check that every app serves 200s (CI); writes no report
  --rounds=4              interleaved rounds per case (each case: the median)
  --duration=3            seconds per measured run (smoke: 5, the most a run may take)
  --warmup=2              seconds of warm-up per case (smoke: 0, none)
  --prime=1               seconds of unmeasured load right before each measured run (smoke: 0)
  --pin=true              servers on core 0, autocannon on core 1 (default: on, off with --smoke)
  --connections=50        autocannon connections
  --tokens=10000          distinct tokens for the cache-pressure case (smoke: 100)
  --cold=1000             concurrent requests on a cold key set (smoke: 250)
  --profile=true          CPU-profile our guarded route (default: on, off with --smoke)
  --amount=100            smoke mode: requests per run
  --jwks-delay=200        ms before each JWKS response
  --micro-batches=7       micro-benchmark: batches per row (median)
  --micro-batch-ms=300    micro-benchmark: ms per batch
  --only=REGEX            only the cases whose id matches (also :cold, micro)
  --report=BENCHMARKS.md  report file ('' to print only)`;

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new Error(`Unknown argument ${arg}\n${HELP}`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const read = (name: string): string | undefined =>
    flags.get(name) ?? env[`BENCH_${name.toUpperCase()}`];
  const number = (name: string, fallback: number, min = 1): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be ≥ ${min}`);
    return parsed;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = read(name);
    return value === undefined ? fallback : value === 'true' || value === '1';
  };
  const smoke = flag('smoke', false);
  const only = read('only');
  const report = read('report');
  return {
    smoke,
    rounds: Math.round(number('rounds', smoke ? 1 : 4)),
    durationSeconds: number('duration', smoke ? 5 : 3),
    warmupSeconds: number('warmup', smoke ? 0 : 2, 0),
    primeSeconds: number('prime', smoke ? 0 : 1, 0),
    // Smoke mode measures nothing, so its apps start on both cores.
    pin: flag('pin', !smoke),
    amount: smoke ? Math.round(number('amount', 100)) : undefined,
    connections: Math.round(number('connections', smoke ? 10 : 50)),
    distinctTokens: Math.round(number('tokens', smoke ? 100 : 10_000)),
    coldRequests: Math.round(number('cold', smoke ? 250 : 1000)),
    jwksDelayMs: number('jwks-delay', 200),
    microBatches: Math.round(number('micro-batches', smoke ? 1 : 7)),
    microBatchMs: number('micro-batch-ms', smoke ? 20 : 300),
    profile: flag('profile', !smoke),
    only: only ? new RegExp(only) : undefined,
    reportFile: report === undefined ? (smoke ? undefined : 'BENCHMARKS.md') : report || undefined,
  };
}
