import { randomUUID } from 'node:crypto';
import type { BearerErrorReason } from '../errors/bearer-error-reasons';
import { BearerTokenException } from '../errors/bearer-token.exception';
import type { KeySetOptions, SupportedAlgorithm } from '../oauth-jwt-options.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';
import { ecKeyPair, publicJwk, rsaKeyPair } from '../testing/internal/test-keys';
import { reply, type TestHttpServer } from '../testing/internal/test-http-server';
import { useTestHttpServer } from '../testing/internal/test-http-server.spec-helper';
import { waitFor } from '../testing/internal/wait-for';
import { KeySet } from './key-set';
import { KeySetFetchError } from './fetch-json';

const T0 = 1_700_000_000_000;
const JWKS = '/jwks';

const rsaA = rsaKeyPair('a');
const rsaB = rsaKeyPair('b');
const p256 = ecKeyPair('P-256');

const JWK_A = publicJwk(rsaA, { kid: 'a', use: 'sig' });
const JWK_B = publicJwk(rsaB, { kid: 'b', use: 'sig' });
const JWK_E = publicJwk(p256, { kid: 'e', use: 'sig' });
/** A valid JWKS over 1 KiB. */
const LARGE_JWKS = JSON.stringify({
  keys: [JWK_A, JWK_B, { ...JWK_A, kid: 'c' }, { ...JWK_B, kid: 'd' }],
});

let server: TestHttpServer;
/** The KeySet's clock: tests move it; real time only bounds network waits. */
let now = T0;

useTestHttpServer((started) => (server = started));

beforeEach(() => {
  now = T0;
});

function serveKeys(...keys: unknown[]): void {
  server.route(JWKS, reply.json({ keys }));
}

function keySetWith(
  keySet: KeySetOptions = {},
  extra: { jwksUri?: string; issuer?: string; algorithms?: SupportedAlgorithm[] } = {},
): KeySet {
  const options = resolveOAuthJwtOptions({
    issuer: extra.issuer ?? `${server.origin}/`,
    audience: 'https://api.test',
    ...('jwksUri' in extra ? {} : { jwksUri: `${server.origin}${JWKS}` }),
    ...(extra.jwksUri === undefined ? {} : { jwksUri: extra.jwksUri }),
    algorithms: extra.algorithms ?? ['RS256', 'ES256'],
    keySet,
  });
  return new KeySet(options, () => now);
}

/** The refusal of a getSigningKey call. */
async function refusalOf(
  pending: Promise<unknown>,
): Promise<{ reason: BearerErrorReason; status: number; retryAfterSeconds: number | undefined }> {
  const error: unknown = await pending.then(
    () => {
      throw new Error('expected a refusal, but a key was returned');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(BearerTokenException);
  const exception = error as BearerTokenException;
  return {
    reason: exception.reason,
    status: exception.getStatus(),
    retryAfterSeconds: exception.retryAfterSeconds,
  };
}

describe('KeySet', () => {
  describe('fetching and caching', () => {
    it('fetches the JWKS on first use and returns the key for the kid', async () => {
      serveKeys(JWK_A, JWK_B);
      const keySet = keySetWith();
      expect(keySet.status()).toEqual({
        state: 'unavailable',
        keyCount: 0,
        ageMs: undefined,
        fetchCount: 0,
        lastFailure: undefined,
      });

      const key = await keySet.getSigningKey('b', 'RS256');

      expect(key.kid).toBe('b');
      expect(key.key.export({ format: 'jwk' })).toEqual(rsaB.publicKey.export({ format: 'jwk' }));
      expect(keySet.has(key)).toBe(true);
      expect(server.hits(JWKS)).toBe(1);
      expect(keySet.status()).toEqual({
        state: 'fresh',
        keyCount: 2,
        ageMs: 0,
        fetchCount: 1,
        lastFailure: undefined,
      });
    });

    it('serves known keys from memory for cacheMaxAgeSeconds', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cacheMaxAgeSeconds: 600 });
      const first = await keySet.getSigningKey('a', 'RS256');
      now = T0 + 600_000;
      await expect(keySet.getSigningKey('a', 'RS256')).resolves.toBe(first);
      expect(server.hits(JWKS)).toBe(1);
      expect(keySet.status()).toMatchObject({ state: 'fresh', ageMs: 600_000 });
    });

    it('shares one fetch among 200 concurrent cold callers', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith();
      const keys = await Promise.all(
        Array.from({ length: 200 }, () => keySet.getSigningKey('a', 'RS256')),
      );
      expect(server.hits(JWKS)).toBe(1);
      expect(new Set(keys).size).toBe(1);
      expect(keySet.status().fetchCount).toBe(1);
    });

    it('refreshes in the background after cacheMaxAgeSeconds, answering from the old keys meanwhile', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cacheMaxAgeSeconds: 60 });
      const old = await keySet.getSigningKey('a', 'RS256');
      serveKeys(JWK_A, JWK_B);
      now = T0 + 61_000;

      await expect(keySet.getSigningKey('a', 'RS256')).resolves.toBe(old);
      await waitFor(() => keySet.status().keyCount === 2);

      expect(server.hits(JWKS)).toBe(2);
      expect(keySet.status()).toMatchObject({ state: 'fresh', ageMs: 0, lastFailure: undefined });
      expect(keySet.has(old)).toBe(true);
      expect((await keySet.getSigningKey('b', 'RS256')).kid).toBe('b');
      expect(server.hits(JWKS)).toBe(2);
    });

    it('warmUp fetches the keys before any request', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith();
      await keySet.warmUp();
      expect(server.hits(JWKS)).toBe(1);
      await keySet.getSigningKey('a', 'RS256');
      expect(server.hits(JWKS)).toBe(1);
    });

    it('warmUp rejects when the keys cannot be had', async () => {
      server.route(JWKS, reply.status(500));
      await expect(keySetWith().warmUp()).rejects.toBeInstanceOf(KeySetFetchError);
    });
  });

  describe('choosing a key', () => {
    it('finds a key by kid and algorithm family', async () => {
      serveKeys(JWK_A, JWK_E);
      const keySet = keySetWith();
      expect((await keySet.getSigningKey('e', 'ES256')).kid).toBe('e');
      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
    });

    it('refuses a kid whose key does not fit the token alg with unknown_kid', async () => {
      serveKeys(JWK_A, JWK_E);
      const keySet = keySetWith();
      await expect(refusalOf(keySet.getSigningKey('a', 'ES256'))).resolves.toMatchObject({
        reason: 'unknown_kid',
        status: 401,
      });
    });

    // A kid only ever selects a key of the fetched JWKS, by exact match: no path, query or
    // prototype member stands for one (jwt_tool -I kid injection).
    it.each([
      ['path traversal ../../dev/null', '../../dev/null'],
      ['an absolute path /dev/null', '/dev/null'],
      ["SQL-ish ' OR '1'='1", "' OR '1'='1"],
      ['command injection', 'a|/usr/bin/id'],
      ['a URL', 'https://attacker.example/keys/1'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['hasOwnProperty', 'hasOwnProperty'],
      ['the real kid upper-cased', 'A'],
      ['the real kid with a trailing space', 'a '],
      ['the real kid with a NUL', 'a\u0000'],
      ['a 4 KiB kid', 'k'.repeat(4096)],
    ])('refuses the kid %s with unknown_kid', async (_label, kid) => {
      serveKeys(JWK_A);
      await expect(refusalOf(keySetWith().getSigningKey(kid, 'RS256'))).resolves.toMatchObject({
        reason: 'unknown_kid',
        status: 401,
      });
    });

    it('accepts a token without kid when exactly one key fits its alg', async () => {
      serveKeys(JWK_A, JWK_E);
      const keySet = keySetWith();
      expect((await keySet.getSigningKey(undefined, 'ES256')).kid).toBe('e');
      expect((await keySet.getSigningKey(undefined, 'RS256')).kid).toBe('a');
    });

    it('refuses a token without kid when several keys could have signed it', async () => {
      serveKeys(JWK_A, JWK_B);
      await expect(
        refusalOf(keySetWith().getSigningKey(undefined, 'RS256')),
      ).resolves.toMatchObject({ reason: 'unknown_kid' });
    });

    it('skips JWKS entries it must not use and keeps the others', async () => {
      serveKeys(
        { kty: 'oct', k: 'c2VjcmV0', kid: 'h' },
        publicJwk(rsaB, { kid: 'enc', use: 'enc' }),
        'not a key',
        JWK_A,
      );
      const keySet = keySetWith();
      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
      expect(keySet.status().keyCount).toBe(1);
    });
  });

  describe('unknown kid', () => {
    it('refetches once for 300 concurrent unknown kids', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith();
      await keySet.warmUp();

      const results = await Promise.allSettled(
        Array.from({ length: 300 }, () => keySet.getSigningKey(randomUUID(), 'RS256')),
      );

      expect(server.hits(JWKS)).toBe(2);
      expect(results.every((result) => result.status === 'rejected')).toBe(true);
      for (const result of results) {
        expect((result as PromiseRejectedResult).reason).toMatchObject({ reason: 'unknown_kid' });
      }
    });

    it('refetches at most once per cooldown for a stream of unknown kids', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cooldownSeconds: 30 });
      await keySet.warmUp();

      for (let i = 0; i < 300; i += 1) {
        now = T0 + i * 99; // 0 .. 29.7 s: all within one cooldown
        await refusalOf(keySet.getSigningKey(randomUUID(), 'RS256'));
      }
      expect(server.hits(JWKS)).toBe(2);

      now = T0 + 30_000 - 1;
      await refusalOf(keySet.getSigningKey(randomUUID(), 'RS256'));
      expect(server.hits(JWKS)).toBe(2);

      now = T0 + 30_000;
      await refusalOf(keySet.getSigningKey(randomUUID(), 'RS256'));
      await refusalOf(keySet.getSigningKey(randomUUID(), 'RS256'));
      expect(server.hits(JWKS)).toBe(3);
    });

    it('keeps the same SigningKey for an unchanged JWK across refetches (cached tokens survive)', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cooldownSeconds: 0 });
      const key = await keySet.getSigningKey('a', 'RS256');

      await refusalOf(keySet.getSigningKey('unknown', 'RS256'));
      serveKeys(JWK_A, JWK_B);
      await keySet.getSigningKey('b', 'RS256');

      expect(server.hits(JWKS)).toBe(3);
      expect(keySet.has(key)).toBe(true);
      await expect(keySet.getSigningKey('a', 'RS256')).resolves.toBe(key);
    });

    it('replaces the SigningKey when a kid is reused for other key material', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cooldownSeconds: 0 });
      const key = await keySet.getSigningKey('a', 'RS256');

      serveKeys({ ...JWK_B, kid: 'a' });
      await refusalOf(keySet.getSigningKey('unknown', 'RS256'));

      expect(keySet.has(key)).toBe(false);
      const replaced = await keySet.getSigningKey('a', 'RS256');
      expect(replaced.key.export({ format: 'jwk' })).toEqual(
        rsaB.publicKey.export({ format: 'jwk' }),
      );
    });

    it('finds a kid that appears after a key rotation, with one refetch', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith();
      const oldKey = await keySet.getSigningKey('a', 'RS256');

      serveKeys(JWK_B);
      const newKey = await keySet.getSigningKey('b', 'RS256');

      expect(newKey.kid).toBe('b');
      expect(server.hits(JWKS)).toBe(2);
      expect(keySet.has(newKey)).toBe(true);
      expect(keySet.has(oldKey)).toBe(false);
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'unknown_kid',
      });
    });
  });

  describe('when the JWKS endpoint fails', () => {
    it('answers 503 key_set_unavailable with Retry-After when cold, then recovers', async () => {
      server.route(JWKS, reply.status(500));
      const keySet = keySetWith({ cooldownSeconds: 30 });

      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toEqual({
        reason: 'key_set_unavailable',
        status: 503,
        retryAfterSeconds: 5,
      });
      expect(keySet.status()).toEqual({
        state: 'unavailable',
        keyCount: 0,
        ageMs: undefined,
        fetchCount: 1,
        lastFailure: 'status',
      });

      // Within the failure backoff: fail fast, no new request.
      now = T0 + 2_000;
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toEqual({
        reason: 'key_set_unavailable',
        status: 503,
        retryAfterSeconds: 3,
      });
      expect(server.hits(JWKS)).toBe(1);

      serveKeys(JWK_A);
      now = T0 + 5_000;
      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
      expect(server.hits(JWKS)).toBe(2);
      expect(keySet.status()).toMatchObject({ state: 'fresh', lastFailure: undefined });
    });

    it('shares one failing fetch among 200 concurrent cold callers', async () => {
      server.route(JWKS, reply.status(503));
      const keySet = keySetWith();
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, () => keySet.getSigningKey('a', 'RS256')),
      );
      expect(server.hits(JWKS)).toBe(1);
      for (const result of results) {
        expect((result as PromiseRejectedResult).reason).toMatchObject({
          reason: 'key_set_unavailable',
        });
      }
    });

    it('serves the last good keys within staleMaxAgeSeconds, then answers 503', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cacheMaxAgeSeconds: 60, staleMaxAgeSeconds: 120 });
      const key = await keySet.getSigningKey('a', 'RS256');
      server.route(JWKS, reply.status(500));

      now = T0 + 61_000;
      await expect(keySet.getSigningKey('a', 'RS256')).resolves.toBe(key);
      await waitFor(() => keySet.status().lastFailure === 'status');
      expect(server.hits(JWKS)).toBe(2);
      expect(keySet.status()).toEqual({
        state: 'stale',
        keyCount: 1,
        ageMs: 61_000,
        fetchCount: 2,
        lastFailure: 'status',
      });

      now = T0 + 180_000; // the last moment of the stale window
      await expect(keySet.getSigningKey('a', 'RS256')).resolves.toBe(key);
      await waitFor(() => server.hits(JWKS) === 3);

      now = T0 + 180_001;
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toEqual({
        reason: 'key_set_unavailable',
        status: 503,
        retryAfterSeconds: 5,
      });
      expect(keySet.status().state).toBe('unavailable');

      serveKeys(JWK_A);
      now = T0 + 190_000;
      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
      expect(keySet.status()).toMatchObject({ state: 'fresh', keyCount: 1 });
    });

    it.each([
      ['a body that is not JSON', reply.text('<html>oops</html>'), 'not_json'],
      ['a document whose keys is not an array', reply.json({ keys: 'none' }), 'not_jwks'],
      ['a document without keys', reply.json({ jwks_uri: 'https://issuer.test/jwks' }), 'not_jwks'],
      ['a JSON array of keys (not a JWK Set)', reply.json([JWK_A]), 'not_jwks'],
      ['a JSON null', reply.json(null), 'not_jwks'],
      ['a dropped connection', reply.drop(), 'network'],
      ['an oversized document', reply.text(LARGE_JWKS, 200, 'application/json'), 'too_large'],
      ['an oversized chunked document', reply.chunked(LARGE_JWKS), 'too_large'],
    ])('answers 503 when cold and the endpoint serves %s', async (_label, responder, failure) => {
      expect(Buffer.byteLength(LARGE_JWKS)).toBeGreaterThan(1_024);
      server.route(JWKS, responder);
      const keySet = keySetWith({ maxResponseBytes: 1_024 });
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'key_set_unavailable',
        status: 503,
      });
      expect(keySet.status().lastFailure).toBe(failure);
    });

    it('gives up on a server that never answers after the total timeout', async () => {
      server.route(JWKS, reply.hang());
      const keySet = keySetWith({ timeoutMs: 200 });
      const started = performance.now();
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'key_set_unavailable',
      });
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(keySet.status().lastFailure).toBe('timeout');
    });

    it('gives up on a body that stalls after the total timeout', async () => {
      server.route(JWKS, reply.stallBody());
      const keySet = keySetWith({ timeoutMs: 200 });
      const started = performance.now();
      await refusalOf(keySet.getSigningKey('a', 'RS256'));
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(keySet.status().lastFailure).toBe('timeout');
    });
  });

  describe('a JWKS that answers without a usable key is authoritative (stale keys are for outages only)', () => {
    it.each([
      ['an empty keys array', []],
      ['only a shared secret (kty oct)', [{ kty: 'oct', k: 'c2VjcmV0', kid: 'a' }]],
      ['only an encryption key', [{ ...JWK_A, use: 'enc' }]],
      ['only a key pinned to an algorithm we do not allow', [{ ...JWK_A, alg: 'RS512' }]],
      ['only an RSA 1024 key', [publicJwk(rsaKeyPair('weak', 1_024), { kid: 'a' })]],
    ])(
      'answers 401 unknown_kid (not 503) when cold and the JWKS holds %s',
      async (_label, keys) => {
        serveKeys(...keys);
        const keySet = keySetWith();
        await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
          reason: 'unknown_kid',
          status: 401,
        });
        expect(keySet.status()).toEqual({
          state: 'unavailable',
          keyCount: 0,
          ageMs: 0,
          fetchCount: 2, // the first fetch, then the unknown-kid refetch
          lastFailure: 'no_usable_keys',
        });
      },
    );

    it('warmUp rejects with no_usable_keys naming the JWKS URL without its query', async () => {
      serveKeys();
      const keySet = keySetWith({}, { jwksUri: `${server.origin}${JWKS}?api_key=s3cr3t` });
      const error: unknown = await keySet.warmUp().then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(KeySetFetchError);
      expect(error).toMatchObject({ failure: 'no_usable_keys', url: `${server.origin}${JWKS}` });
    });

    it('stops verifying with the old keys at once when an unknown-kid refetch finds none', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cooldownSeconds: 0 });
      const old = await keySet.getSigningKey('a', 'RS256');
      serveKeys();

      await refusalOf(keySet.getSigningKey('unknown', 'RS256'));

      expect(keySet.has(old)).toBe(false);
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'unknown_kid',
        status: 401,
      });
      expect(keySet.status()).toMatchObject({ state: 'unavailable', keyCount: 0 });
    });

    it('stops verifying with the old keys once a background refresh finds only keys of another kind', async () => {
      serveKeys(JWK_A);
      const keySet = keySetWith({ cacheMaxAgeSeconds: 60, staleMaxAgeSeconds: 3_600 });
      const old = await keySet.getSigningKey('a', 'RS256');
      serveKeys({ kty: 'oct', k: 'c2VjcmV0', kid: 'a' });
      now = T0 + 61_000; // within the stale window: an outage would keep the old key

      expect(keySet.has(old)).toBe(true); // answers from the old keys while the refresh runs
      await waitFor(() => keySet.status().lastFailure === 'no_usable_keys');

      expect(keySet.has(old)).toBe(false);
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'unknown_kid',
      });
    });

    it('takes the keys back when the issuer publishes them again', async () => {
      serveKeys();
      const keySet = keySetWith({ cooldownSeconds: 30 });
      await refusalOf(keySet.getSigningKey('a', 'RS256'));
      serveKeys(JWK_A);

      now = T0 + 30_000; // the unknown-kid cooldown
      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
      expect(keySet.status()).toMatchObject({
        state: 'fresh',
        keyCount: 1,
        lastFailure: undefined,
      });
    });
  });

  describe('discovery', () => {
    it('discovers jwks_uri from the issuer once, then fetches only the JWKS', async () => {
      const issuer = `${server.origin}/tenant-a`;
      server.route(
        '/.well-known/oauth-authorization-server/tenant-a',
        reply.json({ issuer, jwks_uri: `${server.origin}/tenant-a/keys` }),
      );
      server.route('/tenant-a/keys', reply.json({ keys: [JWK_A] }));
      const keySet = keySetWith({}, { issuer, jwksUri: undefined });

      expect((await keySet.getSigningKey('a', 'RS256')).kid).toBe('a');
      await refusalOf(keySet.getSigningKey('unknown', 'RS256'));

      expect(server.hits('/tenant-a/.well-known/openid-configuration')).toBe(1);
      expect(server.hits('/.well-known/oauth-authorization-server/tenant-a')).toBe(1);
      expect(server.hits('/tenant-a/keys')).toBe(2);
    });

    it('answers 503 when the metadata names another issuer', async () => {
      const issuer = `${server.origin}/`;
      server.route(
        '/.well-known/openid-configuration',
        reply.json({ issuer: 'https://evil.test/', jwks_uri: `${server.origin}${JWKS}` }),
      );
      serveKeys(JWK_A);
      const keySet = keySetWith({}, { issuer, jwksUri: undefined });
      await expect(refusalOf(keySet.getSigningKey('a', 'RS256'))).resolves.toMatchObject({
        reason: 'key_set_unavailable',
      });
      expect(server.hits(JWKS)).toBe(0);
    });
  });
});
