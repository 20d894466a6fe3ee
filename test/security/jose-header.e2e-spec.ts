import { createHash } from 'node:crypto';
import { KID } from './support/constants';
import { JWKS_PATH } from './support/key-servers';
import { expectAccepted, expectRefusal } from './support/assertions';
import { signJws, type JwsSigner } from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import { publicJwk } from '../../src/oauth-jwt/testing/internal/test-keys';
import { REFUSAL } from './support/refusals';
import { SecurityHarness } from './support/security-harness';

/**
 * Every way a JOSE header can point at a key, or change how the token is read: kid, jku, x5u, x5c,
 * jwk, x5t; crit and b64; typ. Keys come only from the configured JWKS (RFC 8725 §3.10): nothing
 * in the token may choose one, and nothing in it may make the app fetch anything.
 */
describe('Security: JOSE header', () => {
  let h: SecurityHarness;
  let attackerSigner: JwsSigner;

  beforeAll(async () => {
    h = await SecurityHarness.start();
    attackerSigner = { alg: 'RS256', key: h.keys.attackerRsa.privateKey };
  });

  afterAll(async () => {
    await h.close();
  });

  describe("kid (RFC 7515 §4.1.4, RFC 8725 §2.9/§3.10, jwt_tool -I kid injection): signed by the issuer's real key, so only the kid decides", () => {
    it.each([
      ['an unknown kid', 'no-such-key'],
      ['path traversal ../../dev/null', '../../dev/null'],
      ['an absolute path /dev/null', '/dev/null'],
      ['path traversal to a key file', '../../../../etc/ssl/private/server.key'],
      ["SQL-ish ' OR '1'='1", "' OR '1'='1"],
      ['SQL-ish UNION SELECT', "x' UNION SELECT 'secret' --"],
      ['command injection', 'key|/usr/bin/id'],
      ['a URL', 'https://attacker.example/keys/1'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['the real kid upper-cased', KID.rsa.toUpperCase()],
      ['the real kid with a trailing space', `${KID.rsa} `],
      ['the real kid with a NUL', `${KID.rsa}\u0000`],
      ['a 4 KiB kid', 'k'.repeat(4096)],
    ])('refuses %s with 401 unknown key', async (_label, kid) => {
      expectRefusal(await h.bearer(h.token({ header: { kid } })), REFUSAL.unknownKid);
    });

    it.each<[string, unknown]>([
      ['empty', ''],
      ['the number 0', 0],
      ['the number 2048', 2048],
      ['true', true],
      ['null', null],
      ['an array holding the real kid', [KID.rsa]],
      ['an object with a toString', { toString: KID.rsa }],
    ])('refuses a kid that is %s with 401 malformed', async (_label, kid) => {
      expectRefusal(await h.bearer(h.token({ header: { kid } })), REFUSAL.malformedToken);
    });

    it('refetches the JWKS at most once for a flood of 25 unknown kids (cooldown, no amplification)', async () => {
      const before = h.jwks.hits(JWKS_PATH);
      for (let i = 0; i < 25; i += 1) {
        const response = await h.bearer(h.token({ header: { kid: `flood-${i}` } }));
        expectRefusal(response, REFUSAL.unknownKid);
      }
      expect(h.jwks.hits(JWKS_PATH) - before).toBeLessThanOrEqual(1);
    });
  });

  describe('jku, x5u, x5c, jwk, x5t (RFC 7515 §4.1.2-§4.1.8, RFC 8725 §3.10, node-jose CVE-2018-0114, jwt_tool -X s and -X i): signed by the attacker', () => {
    const thumbprint = (hash: string): string =>
      createHash(hash).update(h.keys.attackerCertificate).digest('base64url');
    const attackerJwk = (kid: string): Record<string, unknown> => ({
      ...publicJwk(h.keys.attackerRsa, { kid, use: 'sig', alg: 'RS256' }),
    });

    it.each<[string, () => Record<string, unknown>, 'unknownKid' | 'badSignature']>([
      [
        "jku at the attacker's JWKS, attacker kid",
        () => ({ jku: `${h.attacker.origin}/jwks.json`, kid: KID.attackerRsa }),
        'unknownKid',
      ],
      [
        "jku at the attacker's JWKS, the issuer's kid",
        () => ({ jku: `${h.attacker.origin}/jwks.json`, kid: KID.rsa }),
        'badSignature',
      ],
      [
        "jku at the attacker's JWKS, no kid",
        () => ({ jku: `${h.attacker.origin}/jwks.json`, kid: undefined }),
        'badSignature',
      ],
      ["jku at the issuer's own JWKS URL", () => ({ jku: h.jwks.url(JWKS_PATH) }), 'badSignature'],
      [
        "x5u at the attacker's certificate, attacker kid",
        () => ({ x5u: `${h.attacker.origin}/cert.pem`, kid: KID.attackerRsa }),
        'unknownKid',
      ],
      [
        "x5u at the attacker's certificate, the issuer's kid",
        () => ({ x5u: `${h.attacker.origin}/cert.pem` }),
        'badSignature',
      ],
      [
        "x5c with the attacker's self-signed certificate (CN=issuer.security.test), no kid",
        () => ({ x5c: [h.keys.attackerCertificate.toString('base64')], kid: undefined }),
        'badSignature',
      ],
      [
        "x5c with the attacker's certificate, attacker kid",
        () => ({ x5c: [h.keys.attackerCertificate.toString('base64')], kid: KID.attackerRsa }),
        'unknownKid',
      ],
      [
        "an embedded jwk of the attacker's key (CVE-2018-0114), no kid",
        () => ({ jwk: attackerJwk(KID.attackerRsa), kid: undefined }),
        'badSignature',
      ],
      [
        "an embedded jwk carrying the issuer's kid, header kid the issuer's",
        () => ({ jwk: attackerJwk(KID.rsa) }),
        'badSignature',
      ],
      [
        'an embedded jwk and its own kid',
        () => ({ jwk: attackerJwk(KID.attackerRsa), kid: KID.attackerRsa }),
        'unknownKid',
      ],
      [
        'an embedded jwk inside a jwks-like "jwks" member',
        () => ({ jwks: { keys: [attackerJwk(KID.rsa)] } }),
        'badSignature',
      ],
      [
        "x5t and x5t#S256 of the attacker's certificate, no kid",
        () => ({ x5t: thumbprint('sha1'), 'x5t#S256': thumbprint('sha256'), kid: undefined }),
        'badSignature',
      ],
    ])('refuses %s, and fetches nothing', async (_label, fields, reason) => {
      const before = h.jwks.hits(JWKS_PATH);
      const token = signJws(header(fields()), claims(), attackerSigner);
      expectRefusal(await h.bearer(token), REFUSAL[reason]);
      expect(h.attacker.requests).toEqual([]);
      expect(h.jwks.hits(JWKS_PATH) - before).toBeLessThanOrEqual(1);
    });

    it('refuses an embedded EC jwk of the attacker (ES256) with 401 unsupported algorithm', async () => {
      const token = signJws(
        header({ alg: 'ES256', kid: undefined, jwk: publicJwk(h.keys.attackerEc, {}) }),
        claims(),
        { alg: 'ES256', key: h.keys.attackerEc.privateKey },
      );
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });

    it("refuses an iss at the attacker's server (no issuer-driven key discovery) with 401 bad issuer", async () => {
      const token = signJws(
        header({ kid: KID.attackerRsa }),
        claims({ iss: h.attacker.origin }),
        attackerSigner,
      );
      expectRefusal(await h.bearer(token), REFUSAL.badIssuer);
    });

    it("refuses an iss at the attacker's server, signed by the issuer's key, with 401 bad issuer", async () => {
      expectRefusal(
        await h.bearer(h.token({ claims: { iss: h.attacker.origin } })),
        REFUSAL.badIssuer,
      );
    });

    it('accepts an issuer-signed token that carries a jku at the attacker, without following it (control)', async () => {
      expectAccepted(
        await h.bearer(h.token({ header: { jku: `${h.attacker.origin}/jwks.json` } })),
      );
    });

    it("the attacker's server received ZERO requests over all of the above", () => {
      expect(h.attacker.requests).toEqual([]);
    });
  });

  describe("crit and b64 (RFC 7515 §4.1.11, RFC 7797, fast-jwt GHSA-hm7r-c7qw-ghp6): signed by the issuer's key", () => {
    it.each<[string, Record<string, unknown>]>([
      [
        'crit naming an unknown extension',
        { crit: ['x-custom-policy'], 'x-custom-policy': 'require-mfa' },
      ],
      ['crit naming a claim name ("exp")', { crit: ['exp'], exp: 0 }],
      ['crit naming b64 with b64 false', { crit: ['b64'], b64: false }],
      ['crit naming a registered parameter ("alg")', { crit: ['alg'] }],
      ['crit naming a listed but absent parameter', { crit: ['x-missing'] }],
      ['an empty crit list', { crit: [] }],
      ['crit as a string', { crit: 'b64' }],
      ['crit null', { crit: null }],
      ['b64 false without crit', { b64: false }],
      ['b64 true', { b64: true }],
    ])('refuses %s with 401 unsupported header', async (_label, fields) => {
      expectRefusal(await h.bearer(h.token({ header: fields })), REFUSAL.unsupportedHeader);
    });
  });

  describe("typ (RFC 9068 §2.1/§4, RFC 8725 §3.11 explicit typing, RFC 7515 §4.1.9): signed by the issuer's key", () => {
    it.each<[string, unknown]>([
      ['at+jwt', 'at+jwt'],
      ['application/at+jwt', 'application/at+jwt'],
      ['AT+JWT (media types are case-insensitive)', 'AT+JWT'],
      ['JWT', 'JWT'],
      ['jwt', 'jwt'],
      ['application/jwt (RFC 7515 §4.1.9: the prefix may be omitted)', 'application/jwt'],
      ['Application/AT+JWT', 'Application/AT+JWT'],
      ['absent', undefined],
    ])('accepts typ %s (control)', async (_label, typ) => {
      expectAccepted(await h.bearer(h.token({ header: { typ } })));
    });

    it.each<[string, unknown]>([
      ['id+jwt (not an access token)', 'id+jwt'],
      ['secevent+jwt (RFC 8417 security event)', 'secevent+jwt'],
      ['logout+jwt (OIDC back-channel logout)', 'logout+jwt'],
      ['dpop+jwt (RFC 9449 proof)', 'dpop+jwt'],
      ['token-introspection+jwt (RFC 9701)', 'token-introspection+jwt'],
      ['JOSE', 'JOSE'],
      ['JOSE+JSON', 'JOSE+JSON'],
      ['at+jwt with a trailing space', 'at+jwt '],
      ['at+jwt with parameters', 'at+jwt; charset=utf-8'],
      ['empty', ''],
      ['a number', 1],
      ['null', null],
      ['an array', ['at+jwt']],
    ])('refuses typ %s with 401 not an access token', async (_label, typ) => {
      expectRefusal(await h.bearer(h.token({ header: { typ } })), REFUSAL.badTokenType);
    });
  });

  describe("cty (RFC 7519 §5.2, §7.2 step 8: nested JWTs are not supported): signed by the issuer's key over a plain claim set", () => {
    it.each(['JWT', 'jwt', 'application/jwt', 'Application/JWT'])(
      'refuses cty %s with 401 unsupported header',
      async (cty) => {
        expectRefusal(await h.bearer(h.token({ header: { cty } })), REFUSAL.unsupportedHeader);
      },
    );

    it('accepts cty application/json, which names no nested JWT (control)', async () => {
      expectAccepted(await h.bearer(h.token({ header: { cty: 'application/json' } })));
    });
  });

  describe('duplicate header members (RFC 7515 §4: lexically last, the same in every parser)', () => {
    it('refuses {"alg":"RS256",…,"alg":"none"} signed by the issuer with 401 unsupported algorithm', async () => {
      const raw = `{"alg":"RS256","typ":"at+jwt","kid":"${KID.rsa}","alg":"none"}`;
      expectRefusal(
        await h.bearer(signJws(raw, claims(), h.issuerSigner)),
        REFUSAL.unsupportedAlgorithm,
      );
    });

    it('refuses {"kid":"rsa-2048",…,"kid":"unknown"} with 401 unknown key', async () => {
      const raw = `{"alg":"RS256","kid":"${KID.rsa}","typ":"at+jwt","kid":"unknown"}`;
      expectRefusal(await h.bearer(signJws(raw, claims(), h.issuerSigner)), REFUSAL.unknownKid);
    });

    it('refuses {"typ":"at+jwt",…,"typ":"id+jwt"} with 401 not an access token', async () => {
      const raw = `{"alg":"RS256","kid":"${KID.rsa}","typ":"at+jwt","typ":"id+jwt"}`;
      expectRefusal(await h.bearer(signJws(raw, claims(), h.issuerSigner)), REFUSAL.badTokenType);
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(50);
      expect(h.hygieneProblems()).toEqual([]);
    });
  });
});
