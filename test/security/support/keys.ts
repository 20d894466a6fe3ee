import {
  generateEcKeyPair,
  generateRsaKeyPair,
  type TestKeyPair,
} from '../../../src/oauth-jwt/testing/internal/test-keys';
import { selfSignedCertificate } from '../../../src/oauth-jwt/testing/internal/x509';

/**
 * Every key the security suites use: the issuer's (served by the local JWKS), weak ones the JWKS
 * also serves, and the attacker's own (never served by the legitimate JWKS).
 */
export interface SecurityKeys {
  readonly issuerRsa: TestKeyPair;
  readonly issuerEc: TestKeyPair;
  /** RSA 1024: below RFC 7518 §3.3's 2048-bit minimum. */
  readonly weakRsa: TestKeyPair;
  /** RSA 2048 with public exponent 3: below NIST SP 800-56B's 65537. */
  readonly lowExponentRsa: TestKeyPair;
  readonly attackerRsa: TestKeyPair;
  readonly attackerEc: TestKeyPair;
  /** A self-signed X.509 certificate (DER) over the attacker's RSA key, CN=issuer.security.test. */
  readonly attackerCertificate: Buffer;
}

/** Generates the keys in parallel (libuv's thread pool), once per test file. */
export async function generateSecurityKeys(): Promise<SecurityKeys> {
  const [issuerRsa, issuerEc, weakRsa, lowExponentRsa, attackerRsa, attackerEc] = await Promise.all(
    [
      generateRsaKeyPair(),
      generateEcKeyPair(),
      generateRsaKeyPair(1024),
      generateRsaKeyPair(2048, 3),
      generateRsaKeyPair(),
      generateEcKeyPair(),
    ],
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
