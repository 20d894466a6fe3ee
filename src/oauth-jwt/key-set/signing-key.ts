import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SupportedAlgorithm } from '../oauth-jwt-options.interface';

/** A verification key from the issuer's JWKS, parsed once per fetch (never per request). */
export interface SigningKey {
  readonly kid: string | undefined;
  /** The JWK's `alg`, when it pins one. */
  readonly alg: string | undefined;
  readonly key: KeyObject;
}

const MIN_RSA_BITS = 2048;
/** NIST SP 800-56B rev. 2 §6.2.1: an odd public exponent of at least 2^16 + 1. */
const MIN_RSA_PUBLIC_EXPONENT = 65_537n;
const CURVE_OF: Partial<Record<SupportedAlgorithm, string>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

/**
 * Turns one JWK into a SigningKey, or undefined when it must not verify tokens: not a signature
 * key, a private key, a key type or algorithm we do not allow, an RSA key under 2048 bits or with
 * an even or small public exponent.
 */
export function importSigningKey(
  jwk: unknown,
  algorithms: readonly SupportedAlgorithm[],
): SigningKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const fields = jwk as Record<string, unknown>;
  const { kty, use, alg, kid } = fields;
  const keyOps = fields['key_ops'];
  if (kty !== 'RSA' && kty !== 'EC') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify')))
    return undefined;
  if (fields['d'] !== undefined) return undefined;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) return undefined;
  if (alg !== undefined && !(algorithms as readonly unknown[]).includes(alg)) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: fields as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
  const details = key.asymmetricKeyDetails;
  if (kty === 'RSA' && !isStrongRsaKey(details)) return undefined;
  return { kid, alg: alg as string | undefined, key };
}

function isStrongRsaKey(details: KeyObject['asymmetricKeyDetails']): boolean {
  const exponent = details?.publicExponent ?? 0n;
  return (
    (details?.modulusLength ?? 0) >= MIN_RSA_BITS &&
    exponent >= MIN_RSA_PUBLIC_EXPONENT &&
    exponent % 2n === 1n
  );
}

/** Whether a key can verify a token signed with `alg` (key type, curve, and the JWK's own `alg`). */
export function keyFitsAlgorithm(signingKey: SigningKey, alg: SupportedAlgorithm): boolean {
  if (signingKey.alg !== undefined && signingKey.alg !== alg) return false;
  const type = signingKey.key.asymmetricKeyType;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return type === 'rsa';
  return type === 'ec' && signingKey.key.asymmetricKeyDetails?.namedCurve === CURVE_OF[alg];
}
