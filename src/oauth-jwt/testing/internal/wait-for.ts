/* Internal to the test kit (not exported from its barrel). */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs` (real time) so no wait is unbounded. */
export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`waitFor: condition not met within ${String(timeoutMs)} ms`);
    }
    await sleep(5);
  }
}
