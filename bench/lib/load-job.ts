/** One autocannon run, as the parent asks the load generator for it. */
export interface LoadJob {
  /** Full URL, e.g. http://127.0.0.1:1234/guarded */
  readonly url: string;
  readonly connections: number;
  /** How long the run lasts; with `amount`, the most it may last. */
  readonly durationSeconds: number;
  /** Send exactly this many requests instead of running for the duration. */
  readonly amount?: number;
  /** No Authorization header, the one reused token, or the distinct tokens in rotation. */
  readonly auth: 'none' | 'one' | 'distinct';
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly durationSeconds: number;
  /** CPU the load generator used, as a share of one core (near 100: the client was the limit). */
  readonly clientCpuPercent: number;
}

/** `count` requests sent at once, each on its own connection. */
export interface BurstJob {
  readonly url: string;
  readonly count: number;
  readonly timeoutMs: number;
}

export interface BurstResult {
  /** Status code (or "error") → how many. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly wallMs: number;
}

/** The tokens the load generator sends (written to a file by the parent). */
export interface TokenFile {
  readonly one: string;
  readonly distinct: readonly string[];
}

export type LoadRpc = {
  run: { arg: LoadJob; result: LoadResult };
  burst: { arg: BurstJob; result: BurstResult };
};
