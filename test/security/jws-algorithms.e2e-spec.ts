import { KID, LIST_USERS } from './support/constants';
import { expectAccepted, expectRefusal } from './support/assertions';
import {
  base64url,
  encodeSegment,
  flipMiddleOfSignature,
  segmentsOf,
  signJws,
  unsignedJws,
  type HmacAlgorithm,
} from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import {
  PUBLIC_KEY_ENCODINGS,
  publicKeyAs,
} from '../../src/oauth-jwt/testing/internal/public-key-encodings';
import { insufficientScope, REFUSAL } from './support/refusals';
import { SecurityHarness } from './support/security-harness';

/**
 * The signature layer: `alg` (none, HMAC, algorithms outside the allow-list), signature integrity,
 * and which keys may verify which algorithm. Every token carries a complete valid payload, so the
 * only defect is the one named in the test.
 */
describe('Security: JWS algorithms and signatures', () => {
  let h: SecurityHarness;

  beforeAll(async () => {
    h = await SecurityHarness.start();
  });

  afterAll(async () => {
    await h.close();
  });

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
    const spellings = ['none', 'None', 'NONE', 'nOnE'];

    it.each(spellings)(
      'refuses alg "%s" with an empty signature with 401 invalid_token (malformed: no signature)',
      async (alg) => {
        const token = unsignedJws(header({ alg }), claims());
        expectRefusal(await h.bearer(token), REFUSAL.malformedToken);
      },
    );

    it.each(spellings)(
      'refuses alg "%s" even with a signature (the issuer\'s own) with 401 unsupported algorithm',
      async (alg) => {
        const token = signJws(header({ alg }), claims(), h.issuerSigner);
        expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
      },
    );

    it('refuses alg "none" in two-segment form (no trailing dot) with 401 malformed', async () => {
      const token = `${encodeSegment(header({ alg: 'none' }))}.${encodeSegment(claims())}`;
      expectRefusal(await h.bearer(token), REFUSAL.malformedToken);
    });

    it.each<[string, unknown]>([
      ['missing', undefined],
      ['empty', ''],
      ['null', null],
      ['an array ["RS256"]', ['RS256']],
      ['lower case "rs256" (alg is case-sensitive, RFC 7515 §4.1.1)', 'rs256'],
      ['"RS256 " with a trailing space', 'RS256 '],
      ['a number', 256],
    ])('refuses alg %s with 401 unsupported algorithm', async (_label, alg) => {
      const token = signJws(header({ alg }), claims(), h.issuerSigner);
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });
  });

  describe('RFC 8725 §2.1/§3.1, CVE-2022-23541 and CVE-2015-9235 (jsonwebtoken), express-jwt CVE-2020-15084, fast-jwt GHSA-c2ff-88x2-x9pg (CVE-2023-48223) and GHSA-mvf2-f6gm-w987, jwt_tool -X k: HMAC signed with the RSA public key', () => {
    const algorithms: HmacAlgorithm[] = ['HS256', 'HS384', 'HS512'];
    const rows = algorithms.flatMap((alg) =>
      PUBLIC_KEY_ENCODINGS.map((encoding) => [alg, encoding] as const),
    );

    it.each(rows)(
      'refuses %s keyed with the public key as %s with 401 unsupported algorithm',
      async (alg, encoding) => {
        const secret = publicKeyAs(h.keys.issuerRsa, encoding);
        const token = signJws(header({ alg }), claims(), { alg, secret });
        expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
      },
    );

    it('refuses HS256 with an empty secret (jwt_tool -X b) with 401 unsupported algorithm', async () => {
      const token = signJws(header({ alg: 'HS256' }), claims(), { alg: 'HS256', secret: '' });
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });

    it('refuses HS256 with a dictionary secret "secret" (jwt_tool -C) with 401 unsupported algorithm', async () => {
      const token = signJws(header({ alg: 'HS256' }), claims(), { alg: 'HS256', secret: 'secret' });
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });
  });

  describe('RFC 8725 §3.1 algorithm allow-list (default RS256 only), express-jwt CVE-2020-15084', () => {
    it.each(['RS384', 'RS512', 'PS256'] as const)(
      "refuses %s although the issuer's key signed it correctly, with 401 unsupported algorithm",
      async (alg) => {
        const token = signJws(header({ alg }), claims(), {
          alg,
          key: h.keys.issuerRsa.privateKey,
        });
        expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
      },
    );

    it("refuses ES256 signed by the issuer's own EC key (its kid) with 401 unsupported algorithm", async () => {
      const token = signJws(header({ alg: 'ES256', kid: KID.ec }), claims(), {
        alg: 'ES256',
        key: h.keys.issuerEc.privateKey,
      });
      expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
    });

    it.each(['EdDSA', 'RSA-OAEP', 'dir', 'ES256K'])(
      'refuses alg "%s" with 401 unsupported algorithm',
      async (alg) => {
        const token = signJws(header({ alg }), claims(), h.issuerSigner);
        expectRefusal(await h.bearer(token), REFUSAL.unsupportedAlgorithm);
      },
    );
  });

  describe('RFC 7515 §5.2 signature integrity, jwt_tool -X n (null signature) and tampering', () => {
    it('refuses a stripped signature ("header.payload.") with 401 malformed', async () => {
      const [h0, p0] = segmentsOf(h.token());
      expectRefusal(await h.bearer(`${h0}.${p0}.`), REFUSAL.malformedToken);
    });

    it('refuses a truncated signature (first half kept) with 401 bad signature', async () => {
      const [h0, p0, s0] = segmentsOf(h.token());
      const token = `${h0}.${p0}.${s0.slice(0, Math.floor(s0.length / 2))}`;
      expectRefusal(await h.bearer(token), REFUSAL.badSignature);
    });

    it('refuses a signature with one character changed in its middle with 401 bad signature', async () => {
      expectRefusal(await h.bearer(flipMiddleOfSignature(h.token())), REFUSAL.badSignature);
    });

    it('refuses an escalated payload (scope delete:users) under the original signature with 401 bad signature', async () => {
      const [h0, , s0] = segmentsOf(h.token({ claims: { scope: 'list:users' } }));
      const escalated = encodeSegment(claims({ scope: 'list:users delete:users' }));
      expectRefusal(await h.bearer(`${h0}.${escalated}.${s0}`), REFUSAL.badSignature);
    });

    it("refuses another subject (partner-b) under partner-a's signature with 401 bad signature", async () => {
      const [h0, , s0] = segmentsOf(h.token());
      const other = encodeSegment(claims({ sub: 'partner-b', client_id: 'partner-b' }));
      expectRefusal(await h.bearer(`${h0}.${other}.${s0}`), REFUSAL.badSignature);
    });

    it('refuses a header edited after signing (kid removed) with 401 bad signature', async () => {
      const [, p0, s0] = segmentsOf(h.token());
      const edited = encodeSegment(header({ kid: undefined }));
      expectRefusal(await h.bearer(`${edited}.${p0}.${s0}`), REFUSAL.badSignature);
    });

    it('refuses a signature spliced from another valid token with 401 bad signature', async () => {
      const [h0, p0] = segmentsOf(h.token());
      const [, , s1] = segmentsOf(h.token({ claims: { sub: 'partner-b' } }));
      expectRefusal(await h.bearer(`${h0}.${p0}.${s1}`), REFUSAL.badSignature);
    });

    it("refuses the same claims signed by the attacker's RSA key under the issuer's kid with 401 bad signature", async () => {
      const token = h.token({ signer: { alg: 'RS256', key: h.keys.attackerRsa.privateKey } });
      expectRefusal(await h.bearer(token), REFUSAL.badSignature);
    });

    it('refuses an all-zero 256-byte signature with 401 bad signature', async () => {
      const [h0, p0] = segmentsOf(h.token());
      expectRefusal(
        await h.bearer(`${h0}.${p0}.${base64url(Buffer.alloc(256))}`),
        REFUSAL.badSignature,
      );
    });

    it('refuses the valid signature with a leading zero byte prepended (257 bytes) with 401 bad signature', async () => {
      const [h0, p0, s0] = segmentsOf(h.token());
      const longer = base64url(Buffer.concat([Buffer.from([0]), Buffer.from(s0, 'base64url')]));
      expectRefusal(await h.bearer(`${h0}.${p0}.${longer}`), REFUSAL.badSignature);
    });

    it('refuses a one-byte signature with 401 bad signature', async () => {
      const [h0, p0] = segmentsOf(h.token());
      expectRefusal(await h.bearer(`${h0}.${p0}.AA`), REFUSAL.badSignature);
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

    it('refuses a token signed by the 1024-bit RSA key without kid with 401 bad signature (never a candidate)', async () => {
      const token = h.token({
        header: { kid: undefined },
        signer: { alg: 'RS256', key: h.keys.weakRsa.privateKey },
      });
      expectRefusal(await h.bearer(token), REFUSAL.badSignature);
    });

    it('refuses a token signed by the RSA key with public exponent 3 (NIST SP 800-56B) under its own kid with 401 unknown key', async () => {
      const token = h.token({
        header: { kid: KID.lowExponentRsa },
        signer: { alg: 'RS256', key: h.keys.lowExponentRsa.privateKey },
      });
      expectRefusal(await h.bearer(token), REFUSAL.unknownKid);
    });

    it('refuses a token naming the issuer key published with use "enc" (RFC 7517 §4.2) with 401 unknown key', async () => {
      expectRefusal(await h.bearer(h.token({ header: { kid: KID.rsaEnc } })), REFUSAL.unknownKid);
    });

    it("refuses RS256 naming the EC key's kid with 401 unknown key", async () => {
      expectRefusal(await h.bearer(h.token({ header: { kid: KID.ec } })), REFUSAL.unknownKid);
    });
  });

  describe('multi-algorithm configuration (RS256, PS256, ES256): key/algorithm binding (RFC 8725 §3.1, RFC 7517 §4.4)', () => {
    let multi: SecurityHarness;

    beforeAll(async () => {
      multi = await SecurityHarness.start({
        keys: h.keys,
        algorithms: ['RS256', 'PS256', 'ES256'],
      });
    });

    afterAll(async () => {
      await multi.close();
    });

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

    it('refuses PS256 under the kid whose JWK pins RS256 with 401 unknown key', async () => {
      const token = multi.token({ header: { alg: 'PS256', kid: KID.rsa }, signer: ps256() });
      expectRefusal(await multi.bearer(token), REFUSAL.unknownKid);
    });

    it('refuses ES256 under an RSA kid with 401 unknown key', async () => {
      const token = multi.token({ header: { alg: 'ES256', kid: KID.rsa }, signer: es256() });
      expectRefusal(await multi.bearer(token), REFUSAL.unknownKid);
    });

    it('refuses RS256 under the EC kid with 401 unknown key', async () => {
      expectRefusal(
        await multi.bearer(multi.token({ header: { kid: KID.ec } })),
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

    it('still refuses HS256 keyed with the public key PEM with 401 unsupported algorithm', async () => {
      const pem = publicKeyAs(h.keys.issuerRsa, 'SPKI PEM with its trailing newline');
      const token = signJws(header({ alg: 'HS256' }), claims(), { alg: 'HS256', secret: pem });
      expectRefusal(await multi.bearer(token), REFUSAL.unsupportedAlgorithm);
    });

    it('refuses ES384 (not in this allow-list) with 401 unsupported algorithm', async () => {
      const token = signJws(header({ alg: 'ES384', kid: KID.ec }), claims(), es256());
      expectRefusal(await multi.bearer(token), REFUSAL.unsupportedAlgorithm);
    });

    it('left no token, key or library message in its responses or logs', () => {
      expect(multi.exchangeCount).toBeGreaterThan(10);
      expect(multi.hygieneProblems()).toEqual([]);
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(50);
      expect(h.hygieneProblems()).toEqual([]);
    });

    it('routes still answer after the hostile requests', async () => {
      expectAccepted(await h.bearer(h.token(), LIST_USERS));
      expectAccepted(await h.get(undefined, '/health'));
    });
  });
});
