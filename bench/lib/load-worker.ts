import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import type { BurstJob, BurstResult, LoadJob, LoadResult, LoadRpc, TokenFile } from './load-job';
import { serveRpc } from './serve-rpc';

/**
 * Child entry point: the load generator, `node load-worker.js <tokens.json>`, pinned to its own
 * core by bench/run. Runs autocannon (always bounded in time) and the cold-start burst.
 */
const tokens = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as TokenFile;

function run(job: LoadJob): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  const distinct = tokens.distinct;
  const options: autocannon.Options = {
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    // autocannon notices the end of a fixed-amount run at its next sample: sample often then.
    ...(job.amount === undefined ? {} : { amount: job.amount, sampleInt: 100 }),
    timeout: 10,
    ...(job.auth === 'one' ? { headers: { authorization: `Bearer ${tokens.one}` } } : {}),
    // Every request takes the next token, so each is used once per pass, spread over connections.
    ...(job.auth === 'distinct'
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const token = distinct[next++ % distinct.length] ?? '';
                return {
                  ...request,
                  headers: { ...request.headers, authorization: `Bearer ${token}` },
                };
              },
            },
          ],
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: Error | null, result: autocannon.Result) => {
      clearTimeout(bound);
      if (error) {
        reject(error);
        return;
      }
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        requestsPerSecond: result['2xx'] / result.duration,
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        durationSeconds: result.duration,
        clientCpuPercent: ((cpu.user + cpu.system) / 1e6 / wallSeconds) * 100,
      });
    });
    // A fixed-amount run is bounded by the duration too.
    const bound = setTimeout(() => {
      instance.stop();
    }, job.durationSeconds * 1000);
  });
}

async function burst(job: BurstJob): Promise<BurstResult> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const started = process.hrtime.bigint();
  const outcomes = await Promise.all(
    Array.from({ length: job.count }, () => requestOnce(job, agent)),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  agent.destroy();
  const statuses: Record<string, number> = {};
  for (const outcome of outcomes) statuses[outcome] = (statuses[outcome] ?? 0) + 1;
  return { statuses, wallMs };
}

function requestOnce(job: BurstJob, agent: Agent): Promise<string> {
  return new Promise((resolve) => {
    const request = get(
      job.url,
      { agent, headers: { authorization: `Bearer ${tokens.one}` }, timeout: job.timeoutMs },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(String(response.statusCode));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      resolve('error');
    });
  });
}

serveRpc<LoadRpc>({ run, burst }, null);
