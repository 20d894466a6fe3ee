import { KID, LIST_USERS } from './support/constants';
import { expectAccepted, expectRefusal } from './support/assertions';
import {
  base64url,
  encodeSegment,
  segmentsOf,
  signJws,
  unsignedJws,
} from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import { publicKeyAs } from '../../src/oauth-jwt/testing/internal/public-key-encodings';
import { insufficientScope, REFUSAL } from './support/refusals';
import { useSecurityHarness, type SecurityHarness } from './support/security-harness';

/**
 * The signature layer: `alg` (none, HMAC, algorithms outside the allow-list), signature integrity,
 * and which keys may verify which algorithm. Every token carries a complete valid payload, so the
 * only defect is the one named in the test.
 */
describe('Security: JWS algorithms and signatures', () => {
  let h: SecurityHarness;

  useSecurityHarness((started) => (h = started));

  describe('positive controls (the catalogue cannot pass vacuously)', () => {
    it('accepts a token the issuer signed (RS256, its kid, typ at+jwt) with 200', async () => {
      const response = await h.bearer(h.token());
      expectAccepted(response);
      expect(response.body).toEqual([]);
    });

    it('resolves the partner of a valid token (GET /partners/me)', async () => {
      const response = await h.bearer(h.token(), '/partners/me');
      expectAccepted(response);
      expect(response.body).toEqual({ clientId: 'partner-a', name: 'Acme Security Test' });
    });

    it('accepts a token without kid when exactly one JWKS key can verify RS256 (RFC 7515 §4.1.4)', async () => {
      expectAccepted(await h.bearer(h.token({ header: { kid: undefined } })));
    });

    it('still answers 403 insufficient_scope for a valid token lacking the route scope', async () => {
      const response = await h.bearer(h.token({ claims: { scope: 'read:users' } }));
      expectRefusal(response, insufficientScope('list:users'));
    });
  });

  describe('RFC 8725 §2.1, RFC 7518 §3.6, CVE-2022-23540 (jsonwebtoken), jwt_tool -X a: alg "none"', () => {
    // Every spelling and shape of alg, and the unsigned and two-segment forms:
    // decode-jose-header.spec.ts. Here one of each outcome over HTTP.
    it('refuses alg "none" with an empty signature with 401 invalid_token (malformed: no signature)', async () => {
      const token = unsignedJws(header({ alg: 'none' }), claims());
      expectRefusal(await h.bearer(token), REFUSAL.malformedToken);
    });

    it('refuses alg "nOnE" even with a signature (the issuer\'s own) with 401 unsupported algorithm', async () => {
      const token = signJws(header({ alg: 'nOnE' }), claims(), h.issuerSigner);
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });
  });

  describe('RFC 8725 §2.1/§3.1, CVE-2022-23541 and CVE-2015-9235 (jsonwebtoken), express-jwt CVE-2020-15084, fast-jwt GHSA-c2ff-88x2-x9pg (CVE-2023-48223) and GHSA-mvf2-f6gm-w987, jwt_tool -X k: HMAC signed with the RSA public key', () => {
    // The alg is refused before any key is used, whatever the secret (HS256/384/512 in
    // decode-jose-header.spec.ts); one public-key encoding is enough to show it over HTTP.
    it('refuses HS256 keyed with the public key as SPKI PEM with 401 unsupported algorithm', async () => {
      const secret = publicKeyAs(h.keys.issuerRsa, 'SPKI PEM with its trailing newline');
      const token = signJws(header({ alg: 'HS256' }), claims(), { alg: 'HS256', secret });
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });
  });

  describe('RFC 8725 §3.1 algorithm allow-list (default RS256 only), express-jwt CVE-2020-15084', () => {
    // Every algorithm outside the allow-list: decode-jose-header.spec.ts.
    it("refuses ES256 signed by the issuer's own EC key (its kid) with 401 unsupported algorithm", async () => {
      const token = signJws(header({ alg: 'ES256', kid: KID.ec }), claims(), {
        alg: 'ES256',
        key: h.keys.issuerEc.privateKey,
      });
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });
  });

  describe('RFC 7515 §5.2 signature integrity, jwt_tool -X n (null signature) and tampering', () => {
    // Every tampering (truncated, flipped, spliced, zeroed, another key): jwt.strategy.spec.ts.
    it('refuses an escalated payload (scope delete:users) under the original signature with 401 bad signature', async () => {
      const [h0, , s0] = segmentsOf(h.token({ claims: { scope: 'list:users' } }));
      const escalated = encodeSegment(claims({ scope: 'list:users delete:users' }));
      expectRefusal(await h.bearer(`${h0}.${escalated}.${s0}`), REFUSAL.badSignature);
    });
  });

  describe('RFC 7518 §3.3, RFC 8725 §3.5, CVE-2022-23539 (jsonwebtoken): keys the JWKS serves but must not verify with', () => {
    it('refuses a token signed by the 1024-bit RSA key under its own kid with 401 unknown key', async () => {
      const token = h.token({
        header: { kid: KID.weakRsa },
        signer: { alg: 'RS256', key: h.keys.weakRsa.privateKey },
      });
      expectRefusal(await h.bearer(token), REFUSAL.unknownKid);
    });

    // Every key the JWKS serves but must not verify with (1024-bit, e = 3, use enc, another alg):
    // signing-key.spec.ts and key-set.spec.ts.
  });

  describe('multi-algorithm configuration (RS256, PS256, ES256): key/algorithm binding (RFC 8725 §3.1, RFC 7517 §4.4)', () => {
    let multi: SecurityHarness;

    useSecurityHarness(
      (started) => (multi = started),
      () => ({ keys: h.keys, algorithms: ['RS256', 'PS256', 'ES256'] }),
    );

    const ps256 = (): { alg: 'PS256'; key: import('node:crypto').KeyObject } => ({
      alg: 'PS256',
      key: h.keys.issuerRsa.privateKey,
    });
    const es256 = (): { alg: 'ES256'; key: import('node:crypto').KeyObject } => ({
      alg: 'ES256',
      key: h.keys.issuerEc.privateKey,
    });

    it('accepts RS256 (control)', async () => {
      expectAccepted(await multi.bearer(multi.token()));
    });

    it('accepts PS256 under the PS256-pinned kid (control)', async () => {
      const token = multi.token({ header: { alg: 'PS256', kid: KID.rsaPs }, signer: ps256() });
      expectAccepted(await multi.bearer(token));
    });

    it('accepts ES256 under the EC kid (control)', async () => {
      const token = multi.token({ header: { alg: 'ES256', kid: KID.ec }, signer: es256() });
      expectAccepted(await multi.bearer(token));
    });

    it('refuses RS256 under the kid whose JWK pins PS256 (same key material) with 401 unknown key', async () => {
      expectRefusal(
        await multi.bearer(multi.token({ header: { kid: KID.rsaPs } })),
        REFUSAL.unknownKid,
      );
    });

    it('refuses the ES256 "psychic signature" r = s = 0 (CVE-2022-21449, jwt_tool -X p) with 401 bad signature', async () => {
      const [h0, p0] = segmentsOf(
        multi.token({ header: { alg: 'ES256', kid: KID.ec }, signer: es256() }),
      );
      expectRefusal(
        await multi.bearer(`${h0}.${p0}.${base64url(Buffer.alloc(64))}`),
        REFUSAL.badSignature,
      );
    });

    it("refuses ES256 signed by the attacker's EC key under the issuer's EC kid with 401 bad signature", async () => {
      const token = multi.token({
        header: { alg: 'ES256', kid: KID.ec },
        signer: { alg: 'ES256', key: h.keys.attackerEc.privateKey },
      });
      expectRefusal(await multi.bearer(token), REFUSAL.badSignature);
    });

    it('refuses an ES256 signature in DER instead of r||s (RFC 7518 §3.4) with 401 invalid_token', async () => {
      const { sign } = await import('node:crypto');
      const [h0, p0] = segmentsOf(
        multi.token({ header: { alg: 'ES256', kid: KID.ec }, signer: es256() }),
      );
      const der = sign('sha256', Buffer.from(`${h0}.${p0}`), h.keys.issuerEc.privateKey);
      expectRefusal(await multi.bearer(`${h0}.${p0}.${base64url(der)}`), REFUSAL.invalidToken);
    });

    it('refuses PS256 in the header over an RS256 (PKCS#1 v1.5) signature with 401 bad signature', async () => {
      const token = multi.token({
        header: { alg: 'PS256', kid: KID.rsaPs },
        signer: { alg: 'RS256', key: h.keys.issuerRsa.privateKey },
      });
      expectRefusal(await multi.bearer(token), REFUSAL.badSignature);
    });

    it('left no token, key or library message in its responses or logs', () => {
      expect(multi.exchangeCount).toBeGreaterThan(5);
      expect(multi.hygieneProblems()).toEqual([]);
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(5);
      expect(h.hygieneProblems()).toEqual([]);
    });

    it('routes still answer after the hostile requests', async () => {
      expectAccepted(await h.bearer(h.token(), LIST_USERS));
      expectAccepted(await h.get(undefined, '/health'));
    });
  });
});
