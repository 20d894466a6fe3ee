import { constants, verify } from 'node:crypto';
import { ecKeyPair, rsaKeyPair } from './internal/test-keys';
import * as jws from './jws';
import type { AsymmetricAlgorithm } from './jws';

const { decodeJws, flipMiddleOfSignature, segmentsOf, signatureOf, signJws, unsignedJws } = jws;
const { withHeader, withPayload, withSignature } = jws;

const rsa = rsaKeyPair('jws-spec');
const p256 = ecKeyPair('P-256', 'jws-spec');

/** Whether node:crypto verifies `token`'s signature for `alg` with the public half of `pair`. */
function verifies(token: string, alg: AsymmetricAlgorithm): boolean {
  const [header, payload, signature] = segmentsOf(token);
  const pair = alg.startsWith('ES') ? p256 : rsa;
  const key = alg.startsWith('PS')
    ? { key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING }
    : { key: pair.publicKey, dsaEncoding: 'ieee-p1363' as const };
  const data = Buffer.from(`${header}.${payload}`);
  return verify(`sha${alg.slice(2)}`, data, key, Buffer.from(signature, 'base64url'));
}

describe('signJws', () => {
  it.each<AsymmetricAlgorithm>(['RS256', 'RS512', 'PS256', 'PS384', 'ES256'])(
    'signs %s as RFC 7518 defines it (ES in r||s form)',
    (alg) => {
      const key = alg.startsWith('ES') ? p256.privateKey : rsa.privateKey;
      const token = signJws({ alg, kid: 'k' }, { sub: 'a' }, { alg, key });
      expect(decodeJws(token)).toEqual({ header: { alg, kid: 'k' }, payload: { sub: 'a' } });
      expect(verifies(token, alg)).toBe(true);
    },
  );

  it("writes the header as given, whatever the signer's algorithm, and raw text as is", () => {
    const token = signJws('{"alg":"none"', 'not json', { alg: 'HS256', secret: 's' });
    const [header, payload, signature] = segmentsOf(token);
    expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"none"');
    expect(Buffer.from(payload, 'base64url').toString()).toBe('not json');
    expect(signature).toBe(
      signatureOf(`${header}.${payload}`, { alg: 'HS256', secret: 's' }).toString('base64url'),
    );
  });
});

describe('tampering with a token', () => {
  const token = signJws({ alg: 'RS256' }, { sub: 'a' }, { alg: 'RS256', key: rsa.privateKey });
  const [header, payload, signature] = segmentsOf(token);

  it('replaces one segment and keeps the other two', () => {
    const edited = withHeader(token, (fields) => ({ ...fields, kid: 'x' }));
    expect(decodeJws(edited).header).toEqual({ alg: 'RS256', kid: 'x' });
    expect(segmentsOf(edited).slice(1)).toEqual([payload, signature]);
    const widened = withPayload(token, (claims) => ({ ...claims, scope: 'admin' }));
    expect(segmentsOf(widened)).toEqual([header, expect.any(String), signature]);
    expect(withSignature(token, '')).toBe(`${header}.${payload}.`);
    expect(unsignedJws({ alg: 'none' }, { sub: 'a' })).toMatch(/^[\w-]+\.[\w-]+\.$/);
  });

  it('flips exactly one character in the middle of the signature', () => {
    const flipped = segmentsOf(flipMiddleOfSignature(token))[2];
    // base64url is ASCII: one character is one UTF-16 unit.
    const differing = Array.from({ length: flipped.length }, (_, index) => index).filter(
      (index) => flipped.charAt(index) !== signature.charAt(index),
    );
    expect([flipped.length, differing.length]).toEqual([signature.length, 1]);
    expect(flipped.charAt(Math.floor(signature.length / 2))).not.toBe(
      signature.charAt(Math.floor(signature.length / 2)),
    );
  });
});
