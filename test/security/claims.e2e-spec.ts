import { AUDIENCE, ISSUER, KID } from './support/constants';
import { expectAccepted, expectRefusal } from './support/assertions';
import {
  base64url,
  encodeSegment,
  segmentsOf,
  signatureOf,
  signJws,
} from '../../src/oauth-jwt/testing';
import { claims, header, nowSeconds } from './support/token-template';
import { insufficientScope, REFUSAL, type Refusal } from './support/refusals';
import { SecurityHarness } from './support/security-harness';

/**
 * The claims layer: every time claim in every wrong shape, issuer and audience near-misses, `sub`
 * and scope claims of the wrong JSON type, prototype-pollution shaped claims, payloads that are not
 * claim sets, and the verified-token cache. Every token is signed by the issuer's real key and
 * differs from a valid one in exactly the claim under test.
 */
describe('Security: claims', () => {
  let h: SecurityHarness;

  beforeAll(async () => {
    h = await SecurityHarness.start();
  });

  afterAll(async () => {
    await h.close();
  });

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
    it.each<[string, (now: number) => Record<string, unknown>, Refusal]>([
      ['exp missing', () => ({ exp: undefined }), REFUSAL.badClaim],
      ['exp a string', () => ({ exp: 'tomorrow' }), REFUSAL.badClaim],
      ['exp a numeric string "9999999999"', () => ({ exp: '9999999999' }), REFUSAL.badClaim],
      ['exp null', () => ({ exp: null }), REFUSAL.badClaim],
      ['exp an empty array', () => ({ exp: [] }), REFUSAL.badClaim],
      ['exp an array holding a future time', (now) => ({ exp: [now + 300] }), REFUSAL.badClaim],
      ['exp an object', (now) => ({ exp: { value: now + 300 } }), REFUSAL.badClaim],
      ['exp a boolean', () => ({ exp: true }), REFUSAL.badClaim],
      ['exp an hour in the past', (now) => ({ exp: now - 3600 }), REFUSAL.expired],
      ['exp 0', () => ({ exp: 0 }), REFUSAL.expired],
      ['exp negative', () => ({ exp: -1 }), REFUSAL.expired],
      [
        'exp 10 s in the past (beyond the 5 s tolerance)',
        (now) => ({ exp: now - 10 }),
        REFUSAL.expired,
      ],
      ['nbf an hour in the future', (now) => ({ nbf: now + 3600 }), REFUSAL.notYetValid],
      ['nbf a string', () => ({ nbf: '0' }), REFUSAL.badClaim],
      ['nbf null', () => ({ nbf: null }), REFUSAL.badClaim],
      ['nbf an array', (now) => ({ nbf: [now - 10] }), REFUSAL.badClaim],
      ['nbf a boolean', () => ({ nbf: false }), REFUSAL.badClaim],
      ['iat an hour in the future', (now) => ({ iat: now + 3600 }), REFUSAL.notYetValid],
      ['iat a string', (now) => ({ iat: String(now) }), REFUSAL.badClaim],
      ['iat null', () => ({ iat: null }), REFUSAL.badClaim],
      ['iat an object', () => ({ iat: {} }), REFUSAL.badClaim],
    ])('refuses %s', async (_label, overrides, expected) => {
      expectRefusal(await h.bearer(withClaims(overrides(nowSeconds()))), expected);
    });

    it('refuses exp 1e400 (JSON.parse makes it Infinity) with 401 invalid claim', async () => {
      const token = withRawPayload(`{${membersWithout('exp')},"exp":1e400}`);
      expectRefusal(await h.bearer(token), REFUSAL.badClaim);
    });

    it('refuses iat 1e400 (Infinity) with 401 invalid claim', async () => {
      const token = withRawPayload(`{${membersWithout('iat')},"iat":1e400}`);
      expectRefusal(await h.bearer(token), REFUSAL.badClaim);
    });

    it.each<[string, (now: number) => Record<string, unknown>]>([
      ['exp 2 s in the past (within the 5 s clock tolerance)', (now) => ({ exp: now - 2 })],
      ['nbf 2 s in the future (within tolerance)', (now) => ({ nbf: now + 2 })],
      ['iat 2 s in the future (within tolerance)', (now) => ({ iat: now + 2 })],
      [
        'iat absent (RFC 9068 requires it, but it is only checked when present)',
        () => ({ iat: undefined }),
      ],
      ['a fractional exp', (now) => ({ exp: now + 300.5 })],
    ])('accepts %s (control)', async (_label, overrides) => {
      expectAccepted(await h.bearer(withClaims(overrides(nowSeconds()))));
    });
  });

  describe('issuer near-misses (RFC 7519 §4.1.1, RFC 9068 §4, RFC 8725 §3.8, fast-jwt GHSA-gm45-q3v2-6cf8 array iss)', () => {
    it.each<[string, unknown]>([
      ['a trailing slash', `${ISSUER}/`],
      ['upper case', ISSUER.toUpperCase()],
      ['an upper-case scheme only', ISSUER.replace('https', 'HTTPS')],
      ['a leading space', ` ${ISSUER}`],
      ['a trailing space', `${ISSUER} `],
      ['a trailing newline', `${ISSUER}\n`],
      ['http instead of https', ISSUER.replace('https', 'http')],
      ['an explicit :443', `${ISSUER}:443`],
      ['an extra path', `${ISSUER}/tenant`],
      ['a longer host', `${ISSUER}.attacker.example`],
      ['user-info before the host', 'https://issuer.security.test@attacker.example'],
      ['a Cyrillic homoglyph', ISSUER.replace('i', '\u0456')],
      ['percent-encoding', ISSUER.replace('.', '%2E')],
      ['an array holding it (fast-jwt GHSA-gm45-q3v2-6cf8)', [ISSUER]],
      ['an array holding it and another', [ISSUER, 'https://other.test']],
      ['missing', undefined],
      ['null', null],
      ['empty', ''],
      ['a number', 1],
    ])('refuses an iss with %s with 401 bad issuer', async (_label, iss) => {
      expectRefusal(await h.bearer(withClaims({ iss })), REFUSAL.badIssuer);
    });
  });

  describe('audience near-misses (RFC 7519 §4.1.3, RFC 9068 §4, RFC 8725 §3.9)', () => {
    it.each<[string, unknown]>([
      ['a prefix of ours', 'https://api.security'],
      ['ours as a prefix (suffix appended)', `${AUDIENCE}.attacker.example`],
      ['upper case', AUDIENCE.toUpperCase()],
      ['a trailing slash', `${AUDIENCE}/`],
      ['a trailing space', `${AUDIENCE} `],
      ['an array holding none of ours', ['https://other.test', 'https://api.other.test']],
      ['an empty array', []],
      ['a nested array holding ours', [[AUDIENCE]]],
      ['an object holding ours', { 0: AUDIENCE }],
      ['null', null],
      ['missing', undefined],
      ['empty', ''],
      ['a number', 1],
    ])('refuses an aud that is %s with 401 bad audience', async (_label, aud) => {
      expectRefusal(await h.bearer(withClaims({ aud })), REFUSAL.badAudience);
    });

    it('accepts an aud array that holds ours among others (control)', async () => {
      expectAccepted(await h.bearer(withClaims({ aud: ['https://other.test', AUDIENCE] })));
    });
  });

  describe('sub (RFC 9068 §2.2 sub REQUIRED, RFC 7519 §4.1.2) and the partner it names', () => {
    it.each<[string, unknown]>([
      ['a number', 42],
      ['null', null],
      ['an array holding a partner', ['partner-a']],
      ['an object', { id: 'partner-a' }],
      ['a boolean', true],
      ['empty', ''],
      ['whitespace only', '   '],
      ['a tab', '\t'],
      ['missing', undefined],
    ])('refuses a sub that is %s with 401 invalid claim', async (_label, sub) => {
      expectRefusal(await h.bearer(withClaims({ sub })), REFUSAL.badClaim);
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
    it.each<[string, Record<string, unknown>]>([
      ['scope a number', { scope: 1 }],
      ['scope an object', { scope: { 'list:users': true } }],
      ['scope an array of numbers', { scope: [1, 2] }],
      ['scope an array mixing a string and a number', { scope: ['list:users', 1] }],
      ['scope null', { scope: null }],
      ['scope a boolean', { scope: true }],
      ['scp a number', { scp: 42 }],
      ['permissions an object', { permissions: { 0: 'list:users' } }],
      ['scope an array of strings (scope is a space-delimited string)', { scope: ['list:users'] }],
      [
        'permissions a string (permissions is an array)',
        { scope: undefined, permissions: 'list:users' },
      ],
    ])('refuses %s with 401 invalid claim', async (_label, overrides) => {
      expectRefusal(await h.bearer(withClaims(overrides)), REFUSAL.badClaim);
    });

    it.each<[string, Record<string, unknown>]>([
      ['"list:usersX" (the required scope as a prefix)', { scope: 'list:usersX' }],
      ['"list:user" (a prefix of the required scope)', { scope: 'list:user' }],
      ['"xlist:users"', { scope: 'xlist:users' }],
      ['"list:users:all"', { scope: 'list:users:all' }],
      ['"LIST:USERS" (scopes are case-sensitive)', { scope: 'LIST:USERS' }],
      ['tab-separated scopes (only SP separates)', { scope: 'list:users\tread:users' }],
      ['comma-separated scopes', { scope: 'list:users,read:users' }],
      ['a percent-encoded scope', { scope: 'list%3Ausers' }],
      ['an empty scope', { scope: '' }],
      ['only another scope', { scope: 'read:users' }],
      [
        'the scope in a claim that is not a scope claim ("roles")',
        { scope: 'read:users', roles: ['list:users'] },
      ],
      ['the scope in a misspelt claim ("scopes")', { scope: undefined, scopes: 'list:users' }],
    ])('refuses %s with 403 insufficient_scope scope="list:users"', async (_label, overrides) => {
      expectRefusal(await h.bearer(withClaims(overrides)), insufficientScope('list:users'));
    });

    it.each<[string, Record<string, unknown>]>([
      ['scp as an array (Azure AD)', { scope: undefined, scp: ['list:users'] }],
      ['permissions as an array (Auth0 RBAC)', { scope: undefined, permissions: ['list:users'] }],
      ['scope with a double space', { scope: 'read:users  list:users' }],
    ])('accepts %s (control)', async (_label, overrides) => {
      expectAccepted(await h.bearer(withClaims(overrides)));
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

    it('refuses a sub offered only through "__proto__" with 401 invalid claim', async () => {
      const json = `{"__proto__":{"sub":"partner-a"},${membersWithout('sub')}}`;
      expectRefusal(await h.bearer(withRawPayload(json)), REFUSAL.badClaim);
    });

    it('refuses an exp offered only through "__proto__" with 401 invalid claim', async () => {
      const json = `{"__proto__":{"exp":${nowSeconds() + 300}},${membersWithout('exp')}}`;
      expectRefusal(await h.bearer(withRawPayload(json)), REFUSAL.badClaim);
    });

    it('refuses an alg offered only through "__proto__" in the header with 401 unsupported algorithm', async () => {
      const rawHeader = `{"__proto__":{"alg":"RS256"},"typ":"at+jwt","kid":"${KID.rsa}"}`;
      expectRefusal(
        await h.bearer(signJws(rawHeader, claims(), h.issuerSigner)),
        REFUSAL.unsupportedAlgorithm,
      );
    });

    it('answers a payload carrying "constructor.prototype.polluted" like any valid token (200), unpolluted', async () => {
      const json = `{"constructor":{"prototype":{"polluted":"payload"}},${membersWithout()}}`;
      expectAccepted(await h.bearer(withRawPayload(json)));
    });

    it('answers a header carrying "__proto__.polluted" like any valid token (200), unpolluted', async () => {
      const rawHeader = `{"alg":"RS256","typ":"at+jwt","kid":"${KID.rsa}","__proto__":{"polluted":"header"}}`;
      expectAccepted(await h.bearer(signJws(rawHeader, claims(), h.issuerSigner)));
    });

    it('answers a header carrying "constructor.prototype.polluted" like any valid token (200), unpolluted', async () => {
      const rawHeader = `{"alg":"RS256","typ":"at+jwt","kid":"${KID.rsa}","constructor":{"prototype":{"polluted":"header"}}}`;
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
    it.each<[string, string, Record<string, unknown>]>([
      ['a JSON array', '["partner-a"]', {}],
      ['a JSON string', '"partner-a"', {}],
      ['JSON null', 'null', {}],
      ['a JSON number', '42', {}],
      ['not JSON at all', 'not json', {}],
      [
        'not JSON at all, under typ "JWT" (jws then parses it and throws)',
        'not json',
        { typ: 'JWT' },
      ],
      ['truncated JSON that starts like an object', '{"sub":"partner-a",', {}],
      [
        'truncated JSON that starts like an object, under typ "JWT"',
        '{"sub":"partner-a",',
        { typ: 'JWT' },
      ],
      ['an object behind a byte-order mark (RFC 8259 §8.1)', '\uFEFF{}', {}],
    ])(
      'refuses a validly signed payload that is %s with 401 malformed (not "another audience")',
      async (_label, json, headerOverrides) => {
        const text = json === '\uFEFF{}' ? `\uFEFF${JSON.stringify(claims())}` : json;
        expectRefusal(
          await h.bearer(withRawPayload(text, headerOverrides)),
          REFUSAL.malformedToken,
        );
      },
    );

    it.each<[string, number[]]>([
      ['a lone continuation byte', [0x80]],
      ['an encoded UTF-16 surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
      ['the byte 0xFF', [0xff]],
    ])(
      'refuses a validly signed claim set with invalid UTF-8 (%s) in a claim with 401 malformed, never U+FFFD (RFC 7519 §7.2 step 10)',
      async (_label, bytes) => {
        const json = `{${membersWithout()},"name":"Acme`;
        const payload = Buffer.concat([Buffer.from(json), Buffer.from(bytes), Buffer.from('"}')]);
        const input = `${encodeSegment(header())}.${base64url(payload)}`;
        const token = `${input}.${base64url(signatureOf(input, h.issuerSigner))}`;
        expectRefusal(await h.bearer(token), REFUSAL.malformedToken);
      },
    );

    it('accepts the same claim set with valid multi-byte UTF-8 in the claim (control)', async () => {
      expectAccepted(await h.bearer(withRawPayload(`{${membersWithout()},"name":"Acmé 東京"}`)));
    });

    it('refuses claims nested 40 levels deep with 401 malformed', async () => {
      const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
      const token = withRawPayload(`{${membersWithout()},"deep":${deep}}`);
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
      expect(h.exchangeCount).toBeGreaterThan(50);
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
