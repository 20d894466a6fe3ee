import { median } from '../lib/stats';

/**
 * µs per call of `fn`: one warm-up batch, then the median of `batches` batches of about
 * `batchMs` each. Every call is awaited, as Nest awaits a guard.
 */
export async function microsPerCall(
  fn: () => unknown,
  batches: number,
  batchMs: number,
): Promise<number> {
  const results: number[] = [];
  for (let batch = -1; batch < batches; batch += 1) {
    let calls = 0;
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(batchMs * 1e6));
    let now = started;
    while (now < deadline) {
      for (let i = 0; i < 50; i += 1) await fn();
      calls += 50;
      now = process.hrtime.bigint();
    }
    if (batch >= 0) results.push(Number(now - started) / 1e3 / calls);
  }
  return median(results);
}
