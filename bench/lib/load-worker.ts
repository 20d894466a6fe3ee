import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import type { BurstJob, BurstResult, LoadJob, LoadResult, LoadRpc } from './load';
import { serveRpc } from './rpc';

// Child entry point: the load generator (autocannon), started by bench/lib/load on its own core.

/** Token files by path, each with the cursor of its rotation. */
const tokenFiles = new Map<string, { tokens: string[]; next: number }>();

function rotation(file: string): { tokens: string[]; next: number } {
  let entry = tokenFiles.get(file);
  if (!entry) {
    entry = { tokens: JSON.parse(readFileSync(file, 'utf8')) as string[], next: 0 };
    tokenFiles.set(file, entry);
  }
  return entry;
}

function run(job: LoadJob): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const rotate = job.tokensFile === undefined ? undefined : rotation(job.tokensFile);
  const options: autocannon.Options = {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    timeout: 10,
    // autocannon notices the end of a fixed-amount run at its next sample: sample often then.
    ...(job.amount === undefined ? {} : { amount: job.amount, sampleInt: 100 }),
    ...(job.token === undefined ? {} : { headers: { authorization: `Bearer ${job.token}` } }),
    // Each request takes the next token, the cursor carrying over from run to run.
    ...(rotate && {
      requests: [
        {
          setupRequest: (request: autocannon.Request) => {
            const token = rotate.tokens[rotate.next++ % rotate.tokens.length] ?? '';
            return {
              ...request,
              headers: { ...request.headers, authorization: `Bearer ${token}` },
            };
          },
        },
      ],
    }),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: Error | null, result: autocannon.Result) => {
      clearTimeout(bound);
      if (error) {
        reject(error);
        return;
      }
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        requestsPerSecond: result['2xx'] / result.duration,
        latencyP99Ms: result.latency.p99,
        ok: result['2xx'],
        notOk: result.non2xx + result.errors,
        clientCpuPercent: (cpu.user + cpu.system) / 10 / (performance.now() - started),
      });
    });
    // A fixed-amount run is bounded by its duration too.
    const bound = setTimeout(() => {
      instance.stop();
    }, job.seconds * 1000);
  });
}

/** Every request at once (fetch opens as many connections as there are requests in flight). */
async function burst(job: BurstJob): Promise<BurstResult> {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  const headers = { authorization: `Bearer ${job.token}` };
  const one = async (): Promise<void> => {
    const signal = AbortSignal.timeout(60_000);
    const outcome = await fetch(job.url, { headers, signal }).then(
      async (response) => {
        await response.arrayBuffer();
        return String(response.status);
      },
      () => 'error',
    );
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
  };
  await Promise.all(Array.from({ length: job.count }, one));
  return { statuses, wallMs: performance.now() - started };
}

serveRpc<LoadRpc>({ run, burst }, null);
