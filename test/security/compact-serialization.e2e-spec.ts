import { expectAccepted, expectNodeRefusal, expectRefusal } from './support/assertions';
import { base64url, encodeSegment, segmentsOf, signJws } from '../../src/oauth-jwt/testing';
import { claims, header } from './support/token-template';
import { REFUSAL } from './support/refusals';
import { useSecurityHarness, type SecurityHarness } from './support/security-harness';

/**
 * The compact serialization itself (RFC 7515 §7.1: three base64url segments, no padding) and
 * sizes: wrong segment counts, empty segments, characters outside base64url, padding, whitespace,
 * non-ASCII and NUL bytes, headers that are not JSON objects, and oversized tokens. Nothing here
 * may produce a 5xx or hang.
 */
describe('Security: compact serialization and sizes', () => {
  let h: SecurityHarness;
  let valid: string;
  let seg: [string, string, string];

  useSecurityHarness((started) => {
    h = started;
    valid = h.token();
    seg = segmentsOf(valid);
  });

  describe('segment structure (RFC 7515 §7.1, RFC 7516 §7.1 for the JWE shape)', () => {
    // Every other segment structure and header encoding: decode-jose-header.spec.ts; every
    // character outside the b64token grammar: read-bearer-token.spec.ts.
    it.each<[string, () => string]>([
      [
        'five segments (JWE-shaped, alg RSA-OAEP / enc A256GCM)',
        () =>
          [
            encodeSegment({ alg: 'RSA-OAEP', enc: 'A256GCM' }),
            'ZW5jcnlwdGVkLWtleQ',
            'aXY',
            'Y2lwaGVydGV4dA',
            'dGFn',
          ].join('.'),
      ],
      [
        'a header with a byte-order mark (RFC 8259 §8.1, RFC 8725 §3.7)',
        () => `${base64url(`\uFEFF${JSON.stringify(header())}`)}.${seg[1]}.${seg[2]}`,
      ],
    ])('refuses %s with 401 malformed', async (_label, token) => {
      expectRefusal(await h.bearer(token()), REFUSAL.malformedToken);
    });

    it('refuses a token with a "*" with 400 invalid_request (not a b64token, RFC 6750 §2.1)', async () => {
      expectRefusal(await h.bearer(`${seg[0]}.${seg[1]}*.${seg[2]}`), REFUSAL.malformedRequest);
    });

    it('refuses a token carrying UTF-8 (non-Latin-1) bytes, sent raw, with 400 invalid_request', async () => {
      const line = Buffer.concat([
        Buffer.from(`Authorization: Bearer ${seg[0]}.`),
        Buffer.from('πλ', 'utf8'),
        Buffer.from(`${seg[1]}.${seg[2]}`),
      ]);
      expectRefusal(await h.raw([line]), REFUSAL.malformedRequest);
    });

    it("refuses a NUL byte in the Authorization value in Node's HTTP parser (400, no challenge: the app never ran)", async () => {
      expectNodeRefusal(
        await h.raw([`Authorization: Bearer ${seg[0]}\u0000.${seg[1]}.${seg[2]}`]),
        400,
      );
    });

    it("refuses a bare CR in the Authorization value in Node's HTTP parser (400, no challenge)", async () => {
      expectNodeRefusal(
        await h.raw([`Authorization: Bearer ${seg[0]}\r.${seg[1]}.${seg[2]}`]),
        400,
      );
    });

    it("refuses an obsolete line folding of the Authorization header (RFC 9112 §5.2) in Node's parser (400)", async () => {
      expectNodeRefusal(await h.raw([`Authorization: Bearer`, ` ${valid}`]), 400);
    });
  });

  describe("sizes: Node's 16 KiB header limit answers 431 itself, never a 5xx", () => {
    it('answers a 64 KiB Authorization header with 431 (no challenge, no 5xx)', async () => {
      expectNodeRefusal(await h.raw([`Authorization: Bearer ${'A'.repeat(64 * 1024)}`]), 431);
    });

    it('answers a 17 KiB token of valid shape with 431', async () => {
      const big = h.token({ claims: { pad: 'x'.repeat(13 * 1024) } });
      expect(big.length).toBeGreaterThan(16 * 1024);
      expectNodeRefusal(await h.raw([`Authorization: Bearer ${big}`]), 431);
    });

    it('accepts a 12 KiB token the issuer signed (large but legal) (control)', async () => {
      const big = h.token({ claims: { pad: 'x'.repeat(8 * 1024) } });
      expect(big.length).toBeGreaterThan(10 * 1024);
      expectAccepted(await h.bearer(big));
    });

    it('refuses 5,000 dot-separated segments quickly with 401 malformed', async () => {
      const started = Date.now();
      expectRefusal(await h.bearer('a.'.repeat(5000) + 'a'), REFUSAL.malformedToken);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses 15,000 b64token characters and a trailing "!" quickly with 400 (no regex backtracking)', async () => {
      const started = Date.now();
      expectRefusal(await h.get(`Bearer ${'a'.repeat(15_000)}!`), REFUSAL.malformedRequest);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses 15,000 "=" after a token quickly with 401 malformed', async () => {
      const started = Date.now();
      expectRefusal(await h.bearer(`${valid}${'='.repeat(15_000)}`), REFUSAL.malformedToken);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses a validly signed payload of 2,000 nested arrays without a stack overflow (401 malformed)', async () => {
      const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
      const json = JSON.stringify(claims()).replace(/}$/, `,"deep":${deep}}`);
      expectRefusal(
        await h.bearer(signJws(header(), json, h.issuerSigner)),
        REFUSAL.malformedToken,
      );
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(10);
      expect(h.hygieneProblems()).toEqual([]);
    });

    it('still serves /health and a valid token afterwards', async () => {
      expectAccepted(await h.get(undefined, '/health'));
      expectAccepted(await h.bearer(h.token()));
    });
  });
});
