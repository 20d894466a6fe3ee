import { AUDIENCE, ISSUER, KID } from './support/constants';
import { expectAccepted, expectRefusal } from './support/assertions';
import { encodeSegment, segmentsOf, signJws } from '../../src/oauth-jwt/testing';
import { claims, header, nowSeconds } from './support/token-template';
import { insufficientScope, REFUSAL, type Refusal } from './support/refusals';
import { useSecurityHarness, type SecurityHarness } from './support/security-harness';

/**
 * The claims layer: every time claim in every wrong shape, issuer and audience near-misses, `sub`
 * and scope claims of the wrong JSON type, prototype-pollution shaped claims, payloads that are not
 * claim sets, and the verified-token cache. Every token is signed by the issuer's real key and
 * differs from a valid one in exactly the claim under test.
 */
describe('Security: claims', () => {
  let h: SecurityHarness;

  useSecurityHarness((started) => (h = started));

  /** A token whose payload is `claims()` with `overrides` applied, signed by the issuer. */
  const withClaims = (overrides: Record<string, unknown>): string => h.token({ claims: overrides });

  /** A token whose payload is this raw JSON text, signed by the issuer. */
  const withRawPayload = (json: string, headerOverrides: Record<string, unknown> = {}): string =>
    signJws(header(headerOverrides), json, h.issuerSigner);

  /** The valid claim set as JSON members without braces, minus the named claims. */
  const membersWithout = (...names: string[]): string => {
    const rest: Record<string, unknown> = claims();
    for (const name of names) Reflect.deleteProperty(rest, name);
    return JSON.stringify(rest).slice(1, -1);
  };

  describe('time claims: exp, nbf, iat (RFC 7519 §4.1.4-§4.1.6, RFC 9068 §2.2 exp REQUIRED, RFC 8725 §3.12)', () => {
    // Every shape of exp, nbf and iat, the tolerance and the controls: jwt.strategy.spec.ts and
    // build-principal.spec.ts. Here one row of each outcome over HTTP.
    it.each<[string, (now: number) => Record<string, unknown>, Refusal]>([
      ['exp a string', () => ({ exp: 'tomorrow' }), REFUSAL.badClaim],
      ['exp an hour in the past', (now) => ({ exp: now - 3600 }), REFUSAL.expired],
      ['nbf an hour in the future', (now) => ({ nbf: now + 3600 }), REFUSAL.notYetValid],
    ])('refuses %s', async (_label, overrides, expected) => {
      expectRefusal(await h.bearer(withClaims(overrides(nowSeconds()))), expected);
    });

    it('accepts exp 2 s in the past (within the 5 s clock tolerance) (control)', async () => {
      expectAccepted(await h.bearer(withClaims({ exp: nowSeconds() - 2 })));
    });
  });

  describe('issuer near-misses (RFC 7519 §4.1.1, RFC 9068 §4, RFC 8725 §3.8, fast-jwt GHSA-gm45-q3v2-6cf8 array iss)', () => {
    // Every near-miss: jwt.strategy.spec.ts.
    it('refuses an iss held in an array (fast-jwt GHSA-gm45-q3v2-6cf8) with 401 bad issuer', async () => {
      expectRefusal(await h.bearer(withClaims({ iss: [ISSUER] })), REFUSAL.badIssuer);
    });
  });

  describe('audience near-misses (RFC 7519 §4.1.3, RFC 9068 §4, RFC 8725 §3.9)', () => {
    // Every near-miss and the array control: jwt.strategy.spec.ts.
    it('refuses an aud that is ours as a prefix (suffix appended) with 401 bad audience', async () => {
      const aud = `${AUDIENCE}.attacker.example`;
      expectRefusal(await h.bearer(withClaims({ aud })), REFUSAL.badAudience);
    });
  });

  describe('sub (RFC 9068 §2.2 sub REQUIRED, RFC 7519 §4.1.2) and the partner it names', () => {
    // Every shape of sub: build-principal.spec.ts and jwt.strategy.spec.ts.
    it('refuses a sub that is an array holding a partner with 401 invalid claim', async () => {
      expectRefusal(await h.bearer(withClaims({ sub: ['partner-a'] })), REFUSAL.badClaim);
    });

    it.each([
      ['an unknown partner', 'partner-z'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['hasOwnProperty', 'hasOwnProperty'],
      ['a partner with a trailing space', 'partner-a '],
      ['a partner upper-cased', 'PARTNER-A'],
      ['a partner with a NUL', 'partner-a\u0000'],
      ['the bare Auth0 suffix "@clients"', '@clients'],
      ['a partner with the suffix twice', 'partner-a@clients@clients'],
    ])('refuses a sub that is %s with 403 unknown partner', async (_label, sub) => {
      expectRefusal(await h.bearer(withClaims({ sub })), REFUSAL.unknownPartner);
    });

    it('keeps the Auth0 form "partner-a@clients" whole under the generic profile: 403 unknown partner', async () => {
      expectRefusal(
        await h.bearer(withClaims({ sub: 'partner-a@clients' })),
        REFUSAL.unknownPartner,
      );
    });
  });

  describe('scope claims (RFC 9068 §2.2.3, RFC 8693 §4.2, RFC 6749 §3.3 whole-token comparison)', () => {
    // Every shape, split and comparison of scopes, and the scp / permissions controls: scopes.spec.ts.
    it('refuses scope as an array of strings (scope is a space-delimited string) with 401 invalid claim', async () => {
      expectRefusal(await h.bearer(withClaims({ scope: ['list:users'] })), REFUSAL.badClaim);
    });

    it('refuses "list:usersX" (the required scope as a prefix) with 403 insufficient_scope scope="list:users"', async () => {
      const response = await h.bearer(withClaims({ scope: 'list:usersX' }));
      expectRefusal(response, insufficientScope('list:users'));
    });
  });

  describe('prototype pollution (CWE-1321): must not pollute Object.prototype, crash, or grant anything', () => {
    afterEach(() => {
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('scope');
      expect(Object.prototype).not.toHaveProperty('sub');
      expect(Object.prototype).not.toHaveProperty('alg');
    });

    it('refuses a scope offered only through "__proto__" in the payload with 403 insufficient_scope', async () => {
      const json = `{"__proto__":{"polluted":"payload","scope":"list:users"},${membersWithout('scope')},"scope":"read:users"}`;
      expectRefusal(await h.bearer(withRawPayload(json)), insufficientScope('list:users'));
    });

    it('refuses an alg offered only through "__proto__" in the header with 401 unsupported algorithm', async () => {
      const rawHeader = `{"__proto__":{"alg":"RS256"},"typ":"at+jwt","kid":"${KID.rsa}"}`;
      expectRefusal(
        await h.bearer(signJws(rawHeader, claims(), h.issuerSigner)),
        REFUSAL.unsupportedAlgorithm,
      );
    });

    it('answers a header carrying "__proto__.polluted" like any valid token (200), unpolluted', async () => {
      const rawHeader = `{"alg":"RS256","typ":"at+jwt","kid":"${KID.rsa}","__proto__":{"polluted":"header"}}`;
      expectAccepted(await h.bearer(signJws(rawHeader, claims(), h.issuerSigner)));
    });

    it('answers "__proto__" pollution in the query string of a valid request with 200, unpolluted', async () => {
      const response = await h.bearer(
        h.token(),
        '/users?__proto__[polluted]=query&constructor[prototype][polluted]=query',
      );
      expectAccepted(response);
    });
  });

  describe('payloads that are not a claim set (RFC 7519 §7.2 step 10: the payload must be a JSON object)', () => {
    // Every other payload (not an object, invalid UTF-8, a BOM, too deep): decode-jose-header.spec.ts
    // and build-principal.spec.ts. Under typ "JWT", jsonwebtoken's own parser sees it first.
    it('refuses a validly signed payload that is not JSON, under typ "JWT", with 401 malformed (not "another audience")', async () => {
      const token = withRawPayload('not json', { typ: 'JWT' });
      expectRefusal(await h.bearer(token), REFUSAL.malformedToken);
    });
  });

  describe('verified-token cache confusion (fast-jwt GHSA-rp9m-7r4c-75qg): a cached token never answers for another', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('gives two valid tokens that differ only in sub their own partner', async () => {
      const now = nowSeconds();
      const shared = { iat: now, exp: now + 300, jti: 'same-jti' };
      const a = withClaims({ ...shared, sub: 'partner-a' });
      const b = withClaims({ ...shared, sub: 'partner-b' });
      expect((await h.bearer(a, '/partners/me')).body).toEqual({
        clientId: 'partner-a',
        name: 'Acme Security Test',
      });
      expect((await h.bearer(b, '/partners/me')).body).toEqual({
        clientId: 'partner-b',
        name: 'Globex Security Test',
      });
      expect((await h.bearer(a, '/partners/me')).body).toEqual({
        clientId: 'partner-a',
        name: 'Acme Security Test',
      });
    });

    it('refuses a token that differs from a cached one only in scope with 403 insufficient_scope', async () => {
      const now = nowSeconds();
      const shared = { iat: now, exp: now + 300, jti: 'same-jti-2' };
      expectAccepted(await h.bearer(withClaims({ ...shared, scope: 'list:users' })));
      const response = await h.bearer(withClaims({ ...shared, scope: 'read:users' }));
      expectRefusal(response, insufficientScope('list:users'));
    });

    it("refuses a cached token's signature under another subject with 401 bad signature", async () => {
      const token = withClaims({});
      expectAccepted(await h.bearer(token));
      const [h0, , s0] = segmentsOf(token);
      const forged = `${h0}.${encodeSegment(claims({ sub: 'partner-b' }))}.${s0}`;
      expectRefusal(await h.bearer(forged), REFUSAL.badSignature);
    });

    it("refuses a cached token's payload and signature under another kid with 401 unknown key", async () => {
      const token = withClaims({});
      expectAccepted(await h.bearer(token));
      const [, p0, s0] = segmentsOf(token);
      const moved = `${encodeSegment(header({ kid: KID.rsaEnc }))}.${p0}.${s0}`;
      expectRefusal(await h.bearer(moved), REFUSAL.unknownKid);
    });

    it('refuses a cached token once its exp (+ tolerance) has passed with 401 expired (re-checked on every hit)', async () => {
      jest.useFakeTimers({ doNotFake: [...TIMERS_BUT_DATE], now: Date.now() });
      const token = withClaims({ exp: nowSeconds() + 30 });
      expectAccepted(await h.bearer(token));
      jest.setSystemTime(Date.now() + 60_000);
      expectRefusal(await h.bearer(token), REFUSAL.expired);
    });

    it('does not cache a refusal: a token refused for nbf is accepted once nbf has passed', async () => {
      jest.useFakeTimers({ doNotFake: [...TIMERS_BUT_DATE], now: Date.now() });
      const token = withClaims({ nbf: nowSeconds() + 60 });
      expectRefusal(await h.bearer(token), REFUSAL.notYetValid);
      jest.setSystemTime(Date.now() + 120_000);
      expectAccepted(await h.bearer(token));
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(20);
      expect(h.hygieneProblems()).toEqual([]);
    });
  });
});

/** Fake only Date (jsonwebtoken's and the cache's clock); real timers keep HTTP and the servers going. */
const TIMERS_BUT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
