import { LRUCache } from 'lru-cache';
import { KeySet } from '../key-set/key-set';
import type { SigningKey } from '../key-set/signing-key';
import type {
  OAuthJwtModuleOptions,
  ResolvedOAuthJwtOptions,
} from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';
import { publicJwk, rsaKeyPair } from '../testing/internal/test-keys';
import { TestHttpServer, reply } from '../testing/internal/test-http-server';
import { buildPrincipal } from '../token/build-principal';
import { VerifiedTokenCache } from './verified-token.cache';

const T0_SECONDS = 1_700_000_000;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyLWEifQ.c2lnbmF0dXJl';
const OTHER_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyLWIifQ.c2lnbmF0dXJl';

const JWK_A = publicJwk(rsaKeyPair('a'), { kid: 'a' });
const JWK_B = publicJwk(rsaKeyPair('b'), { kid: 'b' });

let server: TestHttpServer;
let keySet: KeySet;
let keyA: SigningKey;

function options(extra: Partial<OAuthJwtModuleOptions> = {}): ResolvedOAuthJwtOptions {
  return resolveOAuthJwtOptions({
    issuer: 'https://issuer.test/',
    audience: 'https://api.test',
    jwksUri: `${server.origin}/jwks`,
    ...extra,
  });
}

function principal(claims: Record<string, unknown>): OAuthPrincipal {
  return buildPrincipal({ sub: 'partner-a', ...claims }, ['scope'], 5, T0_SECONDS);
}

/** Moves the wall clock (Date only: network and timers stay real). */
function setNowSeconds(seconds: number): void {
  jest.setSystemTime(seconds * 1000);
}

beforeAll(async () => {
  server = await TestHttpServer.start();
  server.route('/jwks', reply.json({ keys: [JWK_A] }));
  keySet = new KeySet(options());
  keyA = await keySet.getSigningKey('a', 'RS256');
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  jest.useFakeTimers({
    now: T0_SECONDS * 1000,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('VerifiedTokenCache', () => {
  it('misses a token it has not seen', () => {
    const cache = new VerifiedTokenCache(options(), keySet);
    expect(cache.get(TOKEN)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('returns the cached principal for the same token, and only for it', () => {
    const cache = new VerifiedTokenCache(options(), keySet);
    const cached = principal({ exp: T0_SECONDS + 600 });
    cache.set(TOKEN, cached, keyA);
    expect(cache.get(TOKEN)).toBe(cached);
    expect(cache.get(OTHER_TOKEN)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('never serves a token past exp plus the clock tolerance', () => {
    const cache = new VerifiedTokenCache(options({ clockToleranceSeconds: 5 }), keySet);
    cache.set(TOKEN, principal({ exp: T0_SECONDS + 100 }), keyA);

    setNowSeconds(T0_SECONDS + 104.999);
    expect(cache.get(TOKEN)).toBeDefined();

    setNowSeconds(T0_SECONDS + 105);
    expect(cache.get(TOKEN)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never serves a token older than maxTokenAgeSeconds (plus tolerance), even before exp', () => {
    const cache = new VerifiedTokenCache(
      options({ clockToleranceSeconds: 5, maxTokenAgeSeconds: 60 }),
      keySet,
    );
    cache.set(TOKEN, principal({ iat: T0_SECONDS - 50, exp: T0_SECONDS + 3600 }), keyA);

    setNowSeconds(T0_SECONDS + 14.999);
    expect(cache.get(TOKEN)).toBeDefined();

    setNowSeconds(T0_SECONDS + 15);
    expect(cache.get(TOKEN)).toBeUndefined();
  });

  it('does not store a token that is already past its validity', () => {
    const cache = new VerifiedTokenCache(options({ clockToleranceSeconds: 5 }), keySet);
    cache.set(TOKEN, principal({ exp: T0_SECONDS - 5 }), keyA);
    expect(cache.size).toBe(0);
    expect(cache.get(TOKEN)).toBeUndefined();
  });

  describe('entry lifetime given to the LRU', () => {
    function ttlOfSet(cache: VerifiedTokenCache, cached: OAuthPrincipal): unknown {
      const set = jest.spyOn(LRUCache.prototype, 'set');
      cache.set(TOKEN, cached, keyA);
      expect(set).toHaveBeenCalledTimes(1);
      return (set.mock.calls[0]?.[2] as { ttl?: unknown } | undefined)?.ttl;
    }

    it('is capped at maxTtlSeconds for a long-lived token', () => {
      const cache = new VerifiedTokenCache(options({ tokenCache: { maxTtlSeconds: 300 } }), keySet);
      expect(ttlOfSet(cache, principal({ exp: T0_SECONDS + 86_400 }))).toBe(300_000);
    });

    it('ends at exp plus tolerance for a token that expires sooner', () => {
      const cache = new VerifiedTokenCache(options({ clockToleranceSeconds: 5 }), keySet);
      expect(ttlOfSet(cache, principal({ exp: T0_SECONDS + 100 }))).toBe(105_000);
    });

    it('ends at iat plus maxTokenAgeSeconds plus tolerance when that comes first', () => {
      const cache = new VerifiedTokenCache(
        options({ clockToleranceSeconds: 5, maxTokenAgeSeconds: 60 }),
        keySet,
      );
      expect(ttlOfSet(cache, principal({ iat: T0_SECONDS - 50, exp: T0_SECONDS + 3600 }))).toBe(
        15_000,
      );
    });
  });

  it('keeps nothing when disabled', () => {
    const cache = new VerifiedTokenCache(options({ tokenCache: { enabled: false } }), keySet);
    cache.set(TOKEN, principal({ exp: T0_SECONDS + 600 }), keyA);
    expect(cache.get(TOKEN)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used token beyond maxEntries', () => {
    const cache = new VerifiedTokenCache(options({ tokenCache: { maxEntries: 2 } }), keySet);
    const cached = principal({ exp: T0_SECONDS + 600 });
    cache.set('t1', cached, keyA);
    cache.set('t2', cached, keyA);
    expect(cache.get('t1')).toBe(cached);
    cache.set('t3', cached, keyA);
    expect(cache.size).toBe(2);
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')).toBe(cached);
    expect(cache.get('t3')).toBe(cached);
  });

  it('keys entries by a digest of the validation settings and the token, never the raw token', () => {
    const set = jest.spyOn(LRUCache.prototype, 'set');
    const cached = principal({ exp: T0_SECONDS + 600 });
    new VerifiedTokenCache(options(), keySet).set(TOKEN, cached, keyA);
    new VerifiedTokenCache(options({ audience: 'https://other-api.test' }), keySet).set(
      TOKEN,
      cached,
      keyA,
    );
    new VerifiedTokenCache(options({ clockToleranceSeconds: 0 }), keySet).set(TOKEN, cached, keyA);
    const keys = set.mock.calls.map((call) => String(call[0]));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(key).not.toContain(TOKEN);
    }
  });

  it('drops a token whose signing key has left the key set', async () => {
    jest.useRealTimers();
    const rotatingServer = await TestHttpServer.start();
    try {
      rotatingServer.route('/jwks', reply.json({ keys: [JWK_A] }));
      let keySetClock = Date.now();
      const rotatingKeySet = new KeySet(
        resolveOAuthJwtOptions({
          issuer: 'https://issuer.test/',
          audience: 'https://api.test',
          jwksUri: `${rotatingServer.origin}/jwks`,
        }),
        () => keySetClock,
      );
      const oldKey = await rotatingKeySet.getSigningKey('a', 'RS256');
      const cache = new VerifiedTokenCache(options(), rotatingKeySet);
      const cached = principal({ exp: Math.floor(Date.now() / 1000) + 600 });
      cache.set(TOKEN, cached, oldKey);
      expect(cache.get(TOKEN)).toBe(cached);

      // A refetch that still lists the key keeps the token; one without it drops the token.
      rotatingServer.route('/jwks', reply.json({ keys: [JWK_A, JWK_B] }));
      await rotatingKeySet.getSigningKey('b', 'RS256');
      expect(cache.get(TOKEN)).toBe(cached);

      rotatingServer.route('/jwks', reply.json({ keys: [JWK_B] }));
      keySetClock += 30_000; // past the unknown-kid refetch cooldown
      await expect(rotatingKeySet.getSigningKey('c', 'RS256')).rejects.toMatchObject({
        reason: 'unknown_kid',
      });

      expect(rotatingKeySet.has(oldKey)).toBe(false);
      expect(cache.get(TOKEN)).toBeUndefined();
      expect(cache.size).toBe(0);
    } finally {
      await rotatingServer.close();
    }
  });

  it('drops a cached token once a fetched JWKS holds no usable key (an authoritative answer, not an outage)', async () => {
    jest.useRealTimers();
    const rotatingServer = await TestHttpServer.start();
    try {
      rotatingServer.route('/jwks', reply.json({ keys: [JWK_A] }));
      const rotatingKeySet = new KeySet(
        resolveOAuthJwtOptions({
          issuer: 'https://issuer.test/',
          audience: 'https://api.test',
          jwksUri: `${rotatingServer.origin}/jwks`,
          keySet: { cooldownSeconds: 0 },
        }),
      );
      const oldKey = await rotatingKeySet.getSigningKey('a', 'RS256');
      const cache = new VerifiedTokenCache(options(), rotatingKeySet);
      const cached = principal({ exp: Math.floor(Date.now() / 1000) + 600 });
      cache.set(TOKEN, cached, oldKey);
      expect(cache.get(TOKEN)).toBe(cached);

      rotatingServer.route('/jwks', reply.json({ keys: [] }));
      await expect(rotatingKeySet.getSigningKey('c', 'RS256')).rejects.toMatchObject({
        reason: 'unknown_kid',
      });

      expect(cache.get(TOKEN)).toBeUndefined();
      expect(cache.size).toBe(0);
    } finally {
      await rotatingServer.close();
    }
  });

  describe('memory bound (tokenCache.maxBytes)', () => {
    const MAX_BYTES = 65_536;
    /** A claim set of over 16 KiB of JSON: a token carrying many permissions. */
    const heavyClaims = (index: number) => ({
      exp: T0_SECONDS + 600,
      permissions: Array.from({ length: 1_300 }, (_, n) => `perm:${String(index)}:${String(n)}`),
    });
    /** What an entry really holds: the token and its claims, serialized. */
    const realBytes = (token: string, cached: OAuthPrincipal) =>
      Buffer.byteLength(token) + Buffer.byteLength(JSON.stringify(cached.claims));

    it('counts the claims of each entry, so claim-heavy tokens stay within maxBytes', () => {
      const cache = new VerifiedTokenCache(
        options({ tokenCache: { maxBytes: MAX_BYTES } }),
        keySet,
      );
      const held = new Map<string, OAuthPrincipal>();
      for (let index = 0; index < 20; index += 1) {
        const token = `token-${String(index)}`;
        const cached = principal(heavyClaims(index));
        expect(realBytes(token, cached)).toBeGreaterThan(16_000);
        cache.set(token, cached, keyA);
        held.set(token, cached);
      }

      const kept = [...held].filter(([token]) => cache.get(token) !== undefined);
      expect(kept.length).toBeGreaterThan(0);
      const keptBytes = kept.reduce((sum, [token, cached]) => sum + realBytes(token, cached), 0);
      expect(keptBytes).toBeLessThanOrEqual(MAX_BYTES);
      expect(cache.calculatedSize).toBeGreaterThanOrEqual(keptBytes);
      expect(cache.calculatedSize).toBeLessThanOrEqual(MAX_BYTES);
    });

    it('keeps the most recent entries: the oldest are evicted first', () => {
      const cache = new VerifiedTokenCache(
        options({ tokenCache: { maxBytes: MAX_BYTES } }),
        keySet,
      );
      for (let index = 0; index < 20; index += 1) {
        cache.set(`token-${String(index)}`, principal(heavyClaims(index)), keyA);
      }
      expect(cache.get('token-19')).toBeDefined();
      expect(cache.get('token-0')).toBeUndefined();
    });
  });
});
