import { Session, type Profiler } from 'node:inspector';

/** What a sampled stack frame says of itself. */
type Frame = Pick<Profiler.ProfileNode['callFrame'], 'functionName' | 'url'>;

/** Where a sampled stack frame's time is counted: the first bucket whose test matches. */
const BUCKETS: readonly (readonly [string, (frame: Frame) => boolean])[] = [
  ['RSA signature check (node:crypto verify)', (f) => f.url === '' && f.functionName === 'verify'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  [
    'jsonwebtoken, jws, jwa (decode again, checks)',
    (f) =>
      /node_modules\/(jsonwebtoken|jws|jwa|ms|semver|lodash\.[a-z]+|safe-buffer|buffer-equal-constant-time|ecdsa-sig-formatter)\//.test(
        f.url,
      ),
  ],
  [
    'passport, passport-jwt, @nestjs/passport',
    (f) =>
      /node_modules\/(passport|passport-jwt|passport-strategy|@nestjs\/passport)\//.test(f.url),
  ],
  [
    'this library: strict read and decode',
    (f) => /oauth-jwt\/token\/(read-bearer-token|decode-jose-header|select-issuer)/.test(f.url),
  ],
  ['this library: principal, partner step, guards', (f) => /src\/oauth-jwt\//.test(f.url)],
  ['Nest (GuardsConsumer, context)', (f) => /node_modules\/@nestjs\//.test(f.url)],
];
export const OTHER_BUCKET = 'Node internals, promises, the rest';

/**
 * Runs `work` under V8's sampling profiler and answers each bucket's share of the samples (0–1).
 * Sampling slows what it measures, natives most, so shares (not µs) are what it is good for.
 */
export async function profileShares(work: () => Promise<void>): Promise<Record<string, number>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => {
      session.post(method, params, (error, result) => {
        if (error) reject(error);
        else resolve(result as T);
      });
    });
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    await work();
    const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
    return sharesOf(profile);
  } finally {
    session.disconnect();
  }
}

function sharesOf(profile: Profiler.Profile): Record<string, number> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  (profile.samples ?? []).forEach((id, index) => {
    const frame = frames.get(id);
    const delta = profile.timeDeltas?.[index] ?? 0;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    const bucket = BUCKETS.find(([, test]) => test(frame))?.[0] ?? OTHER_BUCKET;
    totals.set(bucket, (totals.get(bucket) ?? 0) + delta);
    all += delta;
  });
  return Object.fromEntries(
    [...BUCKETS.map(([name]) => name), OTHER_BUCKET].map((name) => [
      name,
      all > 0 ? (totals.get(name) ?? 0) / all : 0,
    ]),
  );
}
