import { join } from 'node:path';
import { Child } from './child';

/** One autocannon run. */
export interface LoadJob {
  readonly url: string;
  readonly connections: number;
  /** How long it runs; with `amount`, the most it may take. */
  readonly seconds: number;
  /** Send exactly this many requests. */
  readonly amount?: number;
  /** No Authorization header, `Bearer <token>`, or the next token of `tokensFile` per request. */
  readonly token?: string;
  readonly tokensFile?: string;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyP99Ms: number;
  readonly ok: number;
  readonly notOk: number;
  /** Share of its core the load generator used (near 100: the client may have been the limit). */
  readonly clientCpuPercent: number;
}

/** `count` requests at once, each on its own connection, with `token`. */
export interface BurstJob {
  readonly url: string;
  readonly count: number;
  readonly token: string;
}

export interface BurstResult {
  /** Status code (or "error") → how many. */
  readonly statuses: Record<string, number>;
  readonly wallMs: number;
}

export type LoadRpc = {
  run: { arg: LoadJob; result: LoadResult };
  burst: { arg: BurstJob; result: BurstResult };
};

/** The autocannon process (bench/lib/load-worker), on its own core; every call is bounded. */
export class LoadGenerator {
  private constructor(private readonly child: Child<LoadRpc>) {}

  static async start(core: number | undefined): Promise<LoadGenerator> {
    const script = join(__dirname, 'load-worker.js');
    const { child } = await Child.start<LoadRpc>('load', [script], core);
    return new LoadGenerator(child);
  }

  run(job: LoadJob): Promise<LoadResult> {
    return this.child.call('run', job, job.seconds * 1000 + 30_000);
  }

  burst(job: BurstJob): Promise<BurstResult> {
    return this.child.call('burst', job, 90_000);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
