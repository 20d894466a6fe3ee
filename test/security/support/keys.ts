import { generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { selfSignedCertificate } from './x509';

const generate = promisify(generateKeyPair);

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/**
 * Every key the security suites use: the issuer's (served by the local JWKS), a weak one the JWKS
 * also serves, and the attacker's own (never served by the legitimate JWKS).
 */
export interface SecurityKeys {
  readonly issuerRsa: KeyPair;
  readonly issuerEc: KeyPair;
  /** RSA 1024: below RFC 7518 §3.3's 2048-bit minimum. */
  readonly weakRsa: KeyPair;
  /** RSA 2048 with public exponent 3: below NIST SP 800-56B's 65537. */
  readonly lowExponentRsa: KeyPair;
  readonly attackerRsa: KeyPair;
  readonly attackerEc: KeyPair;
  /** A self-signed X.509 certificate (DER) over the attacker's RSA key, CN=issuer.security.test. */
  readonly attackerCertificate: Buffer;
}

/** Generates the keys in parallel (libuv's thread pool), once per test file. */
export async function generateSecurityKeys(): Promise<SecurityKeys> {
  const rsa = (modulusLength: number, publicExponent = 65_537): Promise<KeyPair> =>
    generate('rsa', { modulusLength, publicExponent });
  const ec = (): Promise<KeyPair> => generate('ec', { namedCurve: 'P-256' });
  const [issuerRsa, issuerEc, weakRsa, lowExponentRsa, attackerRsa, attackerEc] = await Promise.all(
    [rsa(2048), ec(), rsa(1024), rsa(2048, 3), rsa(2048), ec()],
  );
  return {
    issuerRsa,
    issuerEc,
    weakRsa,
    lowExponentRsa,
    attackerRsa,
    attackerEc,
    attackerCertificate: selfSignedCertificate(attackerRsa, 'issuer.security.test'),
  };
}

/** The public JWK of a key pair, with the given extra members (kid, use, alg). */
export function publicJwk(pair: KeyPair, members: Record<string, string>): JsonWebKey {
  return { ...pair.publicKey.export({ format: 'jwk' }), ...members };
}

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

/**
 * The public key of `pair` in one of those encodings, as the "secret" of an HMAC key-confusion
 * attack (CVE-2015-9235, CVE-2022-23541, fast-jwt CVE-2023-48223 / GHSA-c2ff-88x2-x9pg and its
 * whitespace bypass GHSA-mvf2-f6gm-w987).
 */
export function publicKeyAs(pair: KeyPair, encoding: PublicKeyEncoding): Buffer {
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

/**
 * Every string that is key material (private and public), for the leak detector: PEMs and the
 * base64url members of the JWKs.
 */
export function keyMaterial(keys: SecurityKeys): string[] {
  const pairs = [
    keys.issuerRsa,
    keys.issuerEc,
    keys.weakRsa,
    keys.lowExponentRsa,
    keys.attackerRsa,
    keys.attackerEc,
  ];
  const material: string[] = [keys.attackerCertificate.toString('base64')];
  for (const pair of pairs) {
    material.push(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    material.push(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const jwk = pair.privateKey.export({ format: 'jwk' });
    for (const member of ['n', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y'] as const) {
      const value = jwk[member];
      if (typeof value === 'string') material.push(value);
    }
  }
  return material;
}
