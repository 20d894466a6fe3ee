import { Child } from './child';
import type { BurstJob, BurstResult, LoadJob, LoadResult, LoadRpc } from './load-job';
import { LOAD_SCRIPT } from './paths';

/** The core the load generator runs on (the servers get core 0). */
export const LOAD_CORE = 1;

/** The autocannon process, pinned to its own core; every call is bounded in time. */
export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadResult>;
  burst(job: BurstJob): Promise<BurstResult>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(tokensFile: string): Promise<LoadGenerator> {
  const { child } = await Child.start<LoadRpc>({
    name: 'load generator',
    script: LOAD_SCRIPT,
    args: [tokensFile],
    core: LOAD_CORE,
  });
  return {
    // autocannon stops itself after the duration; the margin covers connection set-up and teardown.
    run: (job) => child.call('run', job, job.durationSeconds * 1000 + 30_000),
    burst: (job) => child.call('burst', job, job.timeoutMs + 30_000),
    stop: () => child.stop(),
  };
}
