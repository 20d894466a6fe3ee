import * as net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A 127.0.0.1 port that was free a moment ago and has nothing listening on it now. */
export async function closedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

/**
 * Repeats `attempt` every `intervalMs` until `done(result)` or `timeoutMs` has passed, and
 * resolves with the last result either way (the caller asserts on it).
 */
export async function pollUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (done(result) || Date.now() >= deadline) return result;
    await delay(intervalMs);
  }
}
