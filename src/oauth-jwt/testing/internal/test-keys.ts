/*
 * Internal to the test kit (not exported from its barrel): key pairs for the project's own unit,
 * e2e and security suites.
 */
import { generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export type TestCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

const keyPairs = new Map<string, TestKeyPair>();

/** An RSA key pair, made once per label, size and exponent in a test file (key generation is slow). */
export function rsaKeyPair(
  label = 'default',
  modulusLength = 2048,
  publicExponent = 65_537,
): TestKeyPair {
  return cached(`rsa:${String(modulusLength)}:${String(publicExponent)}:${label}`, () =>
    generateKeyPairSync('rsa', { modulusLength, publicExponent }),
  );
}

/** An EC key pair on `namedCurve`, made once per label in a test file. */
export function ecKeyPair(namedCurve: TestCurve, label = 'default'): TestKeyPair {
  return cached(`ec:${namedCurve}:${label}`, () => generateKeyPairSync('ec', { namedCurve }));
}

/** A fresh RSA key pair made off the main thread, for suites that need several at once. */
export function generateRsaKeyPair(
  modulusLength = 2048,
  publicExponent = 65_537,
): Promise<TestKeyPair> {
  return generate('rsa', { modulusLength, publicExponent });
}

/** A fresh EC key pair made off the main thread. */
export function generateEcKeyPair(namedCurve: TestCurve = 'P-256'): Promise<TestKeyPair> {
  return generate('ec', { namedCurve });
}

/** The public half as a JWK, with extra members (kid, alg, use, ...) merged in. */
export function publicJwk(
  pair: TestKeyPair,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...pair.publicKey.export({ format: 'jwk' }), ...extra };
}

/** The private half as a JWK (it has `d`): what a JWKS must never publish. */
export function privateJwk(
  pair: TestKeyPair,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...pair.privateKey.export({ format: 'jwk' }), ...extra };
}

function cached(id: string, make: () => TestKeyPair): TestKeyPair {
  let pair = keyPairs.get(id);
  if (!pair) {
    pair = make();
    keyPairs.set(id, pair);
  }
  return pair;
}
