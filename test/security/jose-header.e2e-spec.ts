import { KID } from './support/constants';
import { JWKS_PATH } from './support/key-servers';
import { expectAccepted, expectRefusal } from './support/assertions';
import { signJws, type JwsSigner } from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import { publicJwk } from '../../src/oauth-jwt/testing/internal/test-keys';
import { REFUSAL } from './support/refusals';
import { useSecurityHarness, type SecurityHarness } from './support/security-harness';

/**
 * Every way a JOSE header can point at a key, or change how the token is read: kid, jku, x5u, x5c,
 * jwk, x5t; crit and b64; typ. Keys come only from the configured JWKS (RFC 8725 §3.10): nothing
 * in the token may choose one, and nothing in it may make the app fetch anything.
 */
describe('Security: JOSE header', () => {
  let h: SecurityHarness;
  let attackerSigner: JwsSigner;

  useSecurityHarness((started) => {
    h = started;
    attackerSigner = { alg: 'RS256', key: h.keys.attackerRsa.privateKey };
  });

  describe("kid (RFC 7515 §4.1.4, RFC 8725 §2.9/§3.10, jwt_tool -I kid injection): signed by the issuer's real key, so only the kid decides", () => {
    // Every hostile kid string and kid type, and the refetch cooldown, are tabled in
    // key-set.spec.ts and decode-jose-header.spec.ts; here one of each outcome over HTTP.
    it('refuses path traversal ../../dev/null as a kid with 401 unknown key', async () => {
      const token = h.token({ header: { kid: '../../dev/null' } });
      expectRefusal(await h.bearer(token), REFUSAL.unknownKid);
    });

    it('refuses a kid that is the number 0 with 401 malformed', async () => {
      expectRefusal(await h.bearer(h.token({ header: { kid: 0 } })), REFUSAL.malformedToken);
    });
  });

  describe('jku, x5u, x5c, jwk, x5t (RFC 7515 §4.1.2-§4.1.8, RFC 8725 §3.10, node-jose CVE-2018-0114, jwt_tool -X s and -X i): signed by the attacker', () => {
    const attackerJwk = (kid: string): Record<string, unknown> => ({
      ...publicJwk(h.keys.attackerRsa, { kid, use: 'sig', alg: 'RS256' }),
    });

    // decode-jose-header.spec.ts: every key-carrying member is ignored. Here, one of each outcome,
    // and that nothing in a token makes the app fetch anything.
    it.each<[string, () => Record<string, unknown>, 'unknownKid' | 'badSignature']>([
      [
        "jku at the attacker's JWKS, attacker kid",
        () => ({ jku: `${h.attacker.origin}/jwks.json`, kid: KID.attackerRsa }),
        'unknownKid',
      ],
      [
        "an embedded jwk of the attacker's key (CVE-2018-0114), no kid",
        () => ({ jwk: attackerJwk(KID.attackerRsa), kid: undefined }),
        'badSignature',
      ],
      [
        "x5u at the attacker's certificate, the issuer's kid",
        () => ({ x5u: `${h.attacker.origin}/cert.pem` }),
        'badSignature',
      ],
    ])('refuses %s, and fetches nothing', async (_label, fields, reason) => {
      const before = h.jwks.hits(JWKS_PATH);
      const token = signJws(header(fields()), claims(), attackerSigner);
      expectRefusal(await h.bearer(token), REFUSAL[reason]);
      expect(h.attacker.requests).toEqual([]);
      expect(h.jwks.hits(JWKS_PATH) - before).toBeLessThanOrEqual(1);
    });

    it("refuses an iss at the attacker's server (no issuer-driven key discovery) with 401 bad issuer", async () => {
      const token = signJws(
        header({ kid: KID.attackerRsa }),
        claims({ iss: h.attacker.origin }),
        attackerSigner,
      );
      expectRefusal(await h.bearer(token), REFUSAL.badIssuer);
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
    it('refuses crit naming an unknown extension with 401 unsupported header (the others: decode-jose-header.spec.ts)', async () => {
      const fields = { crit: ['x-custom-policy'], 'x-custom-policy': 'require-mfa' };
      expectRefusal(await h.bearer(h.token({ header: fields })), REFUSAL.unsupportedHeader);
    });
  });

  describe("typ (RFC 9068 §2.1/§4, RFC 8725 §3.11 explicit typing, RFC 7515 §4.1.9): signed by the issuer's key", () => {
    // Every accepted and refused typ is tabled in decode-jose-header.spec.ts.
    it.each<[string, unknown]>([
      ['at+jwt', 'at+jwt'],
      ['absent', undefined],
    ])('accepts typ %s (control)', async (_label, typ) => {
      expectAccepted(await h.bearer(h.token({ header: { typ } })));
    });

    it('refuses typ id+jwt (not an access token) with 401 not an access token', async () => {
      const token = h.token({ header: { typ: 'id+jwt' } });
      expectRefusal(await h.bearer(token), REFUSAL.badTokenType);
    });
  });

  describe("cty (RFC 7519 §5.2, §7.2 step 8: nested JWTs are not supported): signed by the issuer's key over a plain claim set", () => {
    it('refuses cty JWT with 401 unsupported header (the others: decode-jose-header.spec.ts)', async () => {
      expectRefusal(await h.bearer(h.token({ header: { cty: 'JWT' } })), REFUSAL.unsupportedHeader);
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
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(10);
      expect(h.hygieneProblems()).toEqual([]);
    });
  });
});
