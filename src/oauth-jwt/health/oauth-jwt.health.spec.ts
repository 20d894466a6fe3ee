import type { TrustedIssuers } from '../issuers/trusted-issuers';
import type { KeySet, KeySetStatus } from '../key-set/key-set';
import { OAuthJwtHealthIndicator as Indicator } from './oauth-jwt.health';

/** The indicator over one issuer whose key set is `keySet`. */
class OAuthJwtHealthIndicator extends Indicator {
  constructor(keySet: KeySet) {
    super({
      all: [{ settings: { issuer: 'https://issuer.test/' }, keys: keySet }],
    } as unknown as TrustedIssuers);
  }
}

function keySetWith(...statuses: KeySetStatus[]): { keySet: KeySet; warmUp: jest.Mock } {
  const queue = [...statuses];
  const warmUp = jest.fn(() => Promise.reject(new Error('network')));
  const keySet = {
    status: () => (queue.length > 1 ? queue.shift() : queue[0]),
    warmUp,
  } as unknown as KeySet;
  return { keySet, warmUp };
}

const status = (overrides: Partial<KeySetStatus>): KeySetStatus => ({
  state: 'fresh',
  keyCount: 2,
  ageMs: 1500,
  fetchCount: 1,
  lastFailure: undefined,
  ...overrides,
});

describe('OAuthJwtHealthIndicator', () => {
  it('is up with fresh keys, their count and age, without fetching', async () => {
    const { keySet, warmUp } = keySetWith(status({}));
    await expect(new OAuthJwtHealthIndicator(keySet).isHealthy()).resolves.toEqual({
      'oauth-jwt': { status: 'up', keySet: 'fresh', stale: false, keyCount: 2, ageMs: 1500 },
    });
    expect(warmUp).not.toHaveBeenCalled();
  });

  it('is up but flagged while stale keys are served, with the last failure', async () => {
    const { keySet, warmUp } = keySetWith(status({ state: 'stale', lastFailure: 'timeout' }));
    await expect(new OAuthJwtHealthIndicator(keySet).isHealthy('keys')).resolves.toEqual({
      keys: {
        status: 'up',
        keySet: 'stale',
        stale: true,
        keyCount: 2,
        ageMs: 1500,
        lastFailure: 'timeout',
      },
    });
    expect(warmUp).not.toHaveBeenCalled();
  });

  it('fetches when no key is usable, and is down if that fails', async () => {
    const unavailable = status({ state: 'unavailable', keyCount: 0, ageMs: undefined });
    const { keySet, warmUp } = keySetWith(unavailable, { ...unavailable, lastFailure: 'network' });
    await expect(new OAuthJwtHealthIndicator(keySet).isHealthy()).resolves.toEqual({
      'oauth-jwt': {
        status: 'down',
        keySet: 'unavailable',
        stale: false,
        keyCount: 0,
        ageMs: null,
        lastFailure: 'network',
      },
    });
    expect(warmUp).toHaveBeenCalledTimes(1);
  });

  it('is up when the fetch it starts brings the keys', async () => {
    const { keySet } = keySetWith(
      status({ state: 'unavailable', keyCount: 0, ageMs: undefined }),
      status({ ageMs: 0 }),
    );
    await expect(new OAuthJwtHealthIndicator(keySet).isHealthy()).resolves.toMatchObject({
      'oauth-jwt': { status: 'up', keySet: 'fresh', ageMs: 0 },
    });
  });
});
