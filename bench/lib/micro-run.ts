import type { MicroJob, MicroRow, MicroRpc } from '../micro/micro-job';
import { SERVER_CORE } from './app-process';
import { Child } from './child';
import { MICRO_SCRIPT } from './paths';

/** The in-process micro-benchmark's child, on the server core; idle until `run`. */
export interface MicroBenchmark {
  run(job: MicroJob): Promise<MicroRow[]>;
  stop(): Promise<void>;
}

export async function startMicroBenchmark(): Promise<MicroBenchmark> {
  const { child } = await Child.start<MicroRpc>({
    name: 'micro-benchmark',
    script: MICRO_SCRIPT,
    core: SERVER_CORE,
  });
  return {
    // Eight rows, each a warm-up batch plus the measured ones, plus setting the apps up.
    run: (job) => child.call('run', job, 8 * (job.batches + 1) * job.batchMs + 60_000),
    stop: () => child.stop(),
  };
}
