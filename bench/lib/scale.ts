import type { AppStats } from '../apps/app-spec';
import type { CaseDef } from './cases';
import type { LoadResult } from './load';
import { runCase, type RunContext } from './rounds';

/**
 * The scale case's cache: room for every token by count, and by the cache's own size estimate,
 * which counts an entry as 2 bytes per character of its token and serialized claims plus 512
 * (about 2.4 KB for these ~700-character tokens): 384 MiB holds 100,000 of them, as a user sizing
 * the cache for them would set it. The heap really retained is measured, and must stay within it.
 */
export const SCALE_MAX_BYTES = 384 * 1024 * 1024;
export const scaleTokenCache = (tokens: number) => ({
  maxEntries: tokens + 1, // and the one token of the warm-up
  maxBytes: SCALE_MAX_BYTES,
  maxTtlSeconds: 3600,
});

export interface ScaleResult {
  readonly tokens: number;
  /** The first pass over all tokens: every request a cache miss. */
  readonly fill: LoadResult;
  /** After the one-token warm-up, after the first pass, after the rounds (all after a full GC). */
  readonly baseline: AppStats;
  readonly afterFill: AppStats;
  readonly afterRounds: AppStats;
  /** Per round: the distinct tokens in rotation, and the one token, on the same app. */
  readonly rotation: number[];
  readonly oneToken: number[];
}

/**
 * `def` is the sample app's guarded route on an app whose cache is scaleTokenCache: warm it up
 * with the one token, send every distinct token once, then alternate rotation and one token.
 */
export async function measureScale(
  context: RunContext,
  def: CaseDef,
  tokensFile: string,
  tokens: number,
): Promise<ScaleResult> {
  const { settings, apps, token, log } = context;
  const app = apps.get(def.app.id);
  if (!app) throw new Error(`${def.app.id} is not running`);
  const one = { token };
  const rotate = { tokensFile };
  await runCase(context, def, Math.max(settings.warmupSeconds, 1), one);
  const baseline = await app.stats(true);
  const fill = await runCase(context, def, Math.max(120, tokens / 200), {
    ...rotate,
    amount: tokens,
  });
  const afterFill = await app.stats(true);
  log(`scale: first pass over ${tokens} tokens at ${Math.round(fill.requestsPerSecond)} req/s`);
  const rotation: number[] = [];
  const oneToken: number[] = [];
  for (let round = 0; round < settings.scaleRounds; round += 1) {
    const pair: [number[], object][] = [
      [rotation, rotate],
      [oneToken, one],
    ];
    for (const [into, auth] of round % 2 === 1 ? pair.reverse() : pair) {
      if (settings.primeSeconds > 0) await runCase(context, def, settings.primeSeconds, auth);
      into.push((await runCase(context, def, settings.seconds, auth)).requestsPerSecond);
    }
    log(`scale round ${round + 1}: rotation ${rotation.join()} vs one token ${oneToken.join()}`);
  }
  const afterRounds = await app.stats(true);
  return { tokens, fill, baseline, afterFill, afterRounds, rotation, oneToken };
}
