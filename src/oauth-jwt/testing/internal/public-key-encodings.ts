/*
 * Internal to the test kit (not exported from its barrel): the secrets of HMAC key-confusion
 * attacks (CVE-2015-9235, CVE-2022-23541, fast-jwt CVE-2023-48223 / GHSA-c2ff-88x2-x9pg and its
 * whitespace bypass GHSA-mvf2-f6gm-w987).
 */
import type { TestKeyPair } from './test-keys';

/** The encodings of an RSA public key that HMAC key-confusion attacks have used as the secret. */
export const PUBLIC_KEY_ENCODINGS = [
  'SPKI PEM with its trailing newline',
  'SPKI PEM without the trailing newline',
  'PKCS#1 PEM (BEGIN RSA PUBLIC KEY)',
  'whitespace-prefixed PEM',
  'SPKI DER',
  'PKCS#1 DER',
  'JWK JSON',
  'modulus n as base64url text',
  'modulus n as raw bytes',
] as const;
export type PublicKeyEncoding = (typeof PUBLIC_KEY_ENCODINGS)[number];

/** The public key of `pair` in one of those encodings, as the "secret" of an HMAC signature. */
export function publicKeyAs(
  pair: Pick<TestKeyPair, 'publicKey'>,
  encoding: PublicKeyEncoding,
): Buffer {
  const spkiPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const n = jwk.n ?? '';
  switch (encoding) {
    case 'SPKI PEM with its trailing newline':
      return Buffer.from(spkiPem);
    case 'SPKI PEM without the trailing newline':
      return Buffer.from(spkiPem.trimEnd());
    case 'PKCS#1 PEM (BEGIN RSA PUBLIC KEY)':
      return Buffer.from(pair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    case 'whitespace-prefixed PEM':
      return Buffer.from(`  \n${spkiPem}`);
    case 'SPKI DER':
      return pair.publicKey.export({ type: 'spki', format: 'der' });
    case 'PKCS#1 DER':
      return pair.publicKey.export({ type: 'pkcs1', format: 'der' });
    case 'JWK JSON':
      return Buffer.from(JSON.stringify(jwk));
    case 'modulus n as base64url text':
      return Buffer.from(n);
    case 'modulus n as raw bytes':
      return Buffer.from(n, 'base64url');
  }
}
