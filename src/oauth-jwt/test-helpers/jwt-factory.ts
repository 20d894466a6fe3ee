/*
 * Test-only helpers (imported by the unit specs, never by the library): key pairs made with
 * node:crypto and JWS compact tokens signed by hand, so no test depends on the code it checks.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export type TestCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

const keyPairs = new Map<string, TestKeyPair>();

/** An RSA key pair, made once per label and size within a test file (key generation is slow). */
export function rsaKeyPair(label = 'default', modulusLength = 2048): TestKeyPair {
  const id = `rsa:${String(modulusLength)}:${label}`;
  let pair = keyPairs.get(id);
  if (!pair) {
    pair = generateKeyPairSync('rsa', { modulusLength });
    keyPairs.set(id, pair);
  }
  return pair;
}

/** An EC key pair on the given curve, made once per label within a test file. */
export function ecKeyPair(namedCurve: TestCurve, label = 'default'): TestKeyPair {
  const id = `ec:${namedCurve}:${label}`;
  let pair = keyPairs.get(id);
  if (!pair) {
    pair = generateKeyPairSync('ec', { namedCurve });
    keyPairs.set(id, pair);
  }
  return pair;
}

/** The public half as a JWK, with extra members (kid, alg, use, ...) merged in. */
export function publicJwk(
  pair: TestKeyPair,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...pair.publicKey.export({ format: 'jwk' }), ...extra };
}

/** The private half as a JWK (has `d`): what a JWKS must never publish. */
export function privateJwk(
  pair: TestKeyPair,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...pair.privateKey.export({ format: 'jwk' }), ...extra };
}

/** base64url of a string or bytes. */
export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** base64url of the JSON text of a value: one JWS segment. */
export function segment(value: unknown): string {
  return base64url(JSON.stringify(value));
}

const DIGEST_OF: Readonly<Record<string, string>> = {
  '256': 'sha256',
  '384': 'sha384',
  '512': 'sha512',
};

/**
 * Signs `header.payload` as RFC 7515 compact JWS with the algorithm named in `header.alg`
 * (RS*, PS*, ES*). The header is written as given, so tests control every member.
 */
export function signJwt(
  header: Readonly<Record<string, unknown>>,
  payload: unknown,
  privateKey: KeyObject,
): string {
  const alg = header['alg'];
  if (typeof alg !== 'string') throw new Error('signJwt: header.alg must be a string');
  const digest = DIGEST_OF[alg.slice(2)];
  if (!digest) throw new Error(`signJwt: unsupported alg ${alg}`);
  const signingInput = `${segment(header)}.${segment(payload)}`;
  const data = Buffer.from(signingInput);
  let signature: Buffer;
  if (alg.startsWith('RS')) {
    signature = sign(digest, data, privateKey);
  } else if (alg.startsWith('PS')) {
    signature = sign(digest, data, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  } else if (alg.startsWith('ES')) {
    signature = sign(digest, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  } else {
    throw new Error(`signJwt: unsupported alg ${alg}`);
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** A compact token from arbitrary header and payload values and a fixed fake signature. */
export function unsignedJwt(header: unknown, payload: unknown, signature = 'c2lnbmF0dXJl'): string {
  return `${segment(header)}.${segment(payload)}.${signature}`;
}
