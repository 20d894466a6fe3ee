/**
 * How much a run measures: `full` (npm run bench) writes BENCHMARKS.md when the machine is quiet;
 * `quick` is the same run, shorter, to try the pipeline (report in bench/dist only); `smoke` (CI)
 * only checks that every app and path answers 200.
 */
export type Mode = 'full' | 'quick' | 'smoke';

export interface Settings {
  readonly mode: Mode;
  /** Server on core 0; autocannon and the bench on core 1 (where taskset works). */
  readonly pin: boolean;
  readonly connections: number;
  /** Unmeasured load per case before the rounds, and right before each measured run. */
  readonly warmupSeconds: number;
  readonly primeSeconds: number;
  /** One measured run (smoke: the most a run of `amount` requests may take). */
  readonly seconds: number;
  readonly amount?: number;
  readonly rounds: number;
  /** The scale case: distinct cached tokens, and its rounds of rotation vs one token. */
  readonly scaleTokens: number;
  readonly scaleRounds: number;
  /** Concurrent requests on a cold key set, and the JWKS latency that lets them pile up. */
  readonly burstRequests: number;
  readonly jwksDelayMs: number;
  /** In process: interleaved batches per path, and the length of one. */
  readonly microBatches: number;
  readonly microBatchMs: number;
}

const FULL: Settings = {
  mode: 'full',
  pin: true,
  connections: 10,
  warmupSeconds: 3,
  primeSeconds: 1,
  seconds: 5,
  rounds: 5,
  scaleTokens: 100_000,
  scaleRounds: 3,
  burstRequests: 1000,
  jwksDelayMs: 200,
  microBatches: 15,
  microBatchMs: 200,
};

const MODES: Record<Mode, Settings> = {
  full: FULL,
  quick: {
    ...FULL,
    mode: 'quick',
    warmupSeconds: 1,
    primeSeconds: 0.5,
    seconds: 2,
    rounds: 2,
    scaleTokens: 10_000,
    scaleRounds: 2,
    microBatches: 5,
    microBatchMs: 100,
  },
  // Measures nothing: apps on both cores, 200 requests per case.
  smoke: {
    ...FULL,
    mode: 'smoke',
    pin: false,
    warmupSeconds: 0,
    primeSeconds: 0,
    seconds: 20,
    amount: 200,
    rounds: 1,
    scaleTokens: 200,
    scaleRounds: 1,
    burstRequests: 100,
    microBatches: 1,
    microBatchMs: 10,
  },
};

/** No flag: full; `--quick` or `--smoke`. */
export function parseSettings(argv: readonly string[]): Settings {
  const mode = argv.length === 0 ? 'full' : argv.length === 1 ? argv[0]?.slice(2) : undefined;
  if (mode !== 'quick' && mode !== 'smoke' && mode !== 'full') {
    throw new Error(`Unknown arguments ${argv.join(' ')}: use --quick, --smoke or none`);
  }
  return MODES[mode];
}
