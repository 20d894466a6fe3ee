import { generateKeyPairSync } from 'node:crypto';
import { SUPPORTED_ALGORITHMS, type SupportedAlgorithm } from '../oauth-jwt-options.interface';
import {
  ecKeyPair,
  privateJwk,
  publicJwk,
  rsaKeyPair,
  type TestKeyPair,
} from '../testing/internal/test-keys';
import { importSigningKey, keyFitsAlgorithm, type SigningKey } from './signing-key';

const ALL: readonly SupportedAlgorithm[] = SUPPORTED_ALGORITHMS;

const rsa2048 = rsaKeyPair('2048');
const p256 = ecKeyPair('P-256');
const p384 = ecKeyPair('P-384');
const p521 = ecKeyPair('P-521');

/** A JWK `e` member: the exponent as big-endian bytes, base64url (RFC 7518 §6.3.1.2). */
function exponent(value: number): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}

function imported(pair: TestKeyPair, extra: Record<string, unknown> = {}): SigningKey {
  const key = importSigningKey(publicJwk(pair, extra), ALL);
  if (!key) throw new Error('expected the JWK to be imported');
  return key;
}

describe('importSigningKey', () => {
  it('imports an RSA 2048 public key with its kid', () => {
    const key = importSigningKey(publicJwk(rsa2048, { kid: 'rsa-1' }), ['RS256']);
    expect(key?.kid).toBe('rsa-1');
    expect(key?.alg).toBeUndefined();
    expect(key?.key.type).toBe('public');
    expect(key?.key.asymmetricKeyType).toBe('rsa');
    expect(key?.key.export({ format: 'jwk' })).toEqual(rsa2048.publicKey.export({ format: 'jwk' }));
  });

  it.each([
    ['65537', 65_537],
    ['65539 (odd, above the minimum)', 65_539],
    ['2^32 + 1', 2 ** 32 + 1],
  ])('imports an RSA key with public exponent %s', (_label, e) => {
    const key = importSigningKey(publicJwk(rsa2048, { e: exponent(e) }), ['RS256']);
    expect(key?.key.asymmetricKeyDetails?.publicExponent).toBe(BigInt(e));
  });

  it('imports a key without kid', () => {
    expect(importSigningKey(publicJwk(rsa2048), ['RS256'])?.kid).toBeUndefined();
  });

  it.each([
    ['use sig', { use: 'sig' }],
    ['key_ops [verify]', { key_ops: ['verify'] }],
    ['key_ops [sign, verify]', { key_ops: ['sign', 'verify'] }],
    ['alg RS256 (allowed)', { alg: 'RS256' }],
  ])('imports a key with %s', (_label, extra) => {
    expect(importSigningKey(publicJwk(rsa2048, extra), ['RS256'])).toBeDefined();
  });

  it.each([
    ['P-256', p256],
    ['P-384', p384],
    ['P-521', p521],
  ])('imports an EC %s public key', (_label, pair) => {
    expect(importSigningKey(publicJwk(pair, { kid: 'ec' }), ['ES256'])?.key.asymmetricKeyType).toBe(
      'ec',
    );
  });

  it.each([
    ['use enc', publicJwk(rsa2048, { use: 'enc' })],
    ['key_ops without verify', publicJwk(rsa2048, { key_ops: ['encrypt', 'wrapKey'] })],
    ['key_ops that is not an array', publicJwk(rsa2048, { key_ops: 'verify' })],
    ['a private RSA key (d present)', privateJwk(rsa2048)],
    ['a private EC key (d present)', privateJwk(p256)],
    ['an RSA 1024 key', publicJwk(rsaKeyPair('weak', 1024))],
    ['an RSA 2040 key', publicJwk(rsaKeyPair('odd', 2040))],
    ['an RSA key with public exponent 3', publicJwk(rsa2048, { e: exponent(3) })],
    ['an RSA key with public exponent 65535', publicJwk(rsa2048, { e: exponent(65_535) })],
    ['an RSA key with an even public exponent 65538', publicJwk(rsa2048, { e: exponent(65_538) })],
    [
      'an RSA key with an even public exponent above 2^32',
      publicJwk(rsa2048, { e: exponent(2 ** 33) }),
    ],
    ['an alg pin outside the allowed algorithms', publicJwk(rsa2048, { alg: 'RS512' })],
    ['an alg pin to HS256', publicJwk(rsa2048, { alg: 'HS256' })],
    ['an alg pin to none', publicJwk(rsa2048, { alg: 'none' })],
    ['an empty kid', publicJwk(rsa2048, { kid: '' })],
    ['a numeric kid', publicJwk(rsa2048, { kid: 7 })],
    [
      'kty oct (a shared secret)',
      { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', kid: 'h' },
    ],
    [
      'kty OKP (Ed25519)',
      { ...generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }), kid: 'ed' },
    ],
    ['a missing kty', { n: 'AQAB', e: 'AQAB' }],
    ['a broken RSA modulus', { kty: 'RSA', n: '!!!', e: 'AQAB' }],
    ['an RSA key missing e', { kty: 'RSA', n: publicJwk(rsa2048)['n'] }],
    ['an EC key on an unknown curve', { ...publicJwk(p256), crv: 'P-999' }],
    ['null', null],
    ['an array', [publicJwk(rsa2048)]],
    ['a string', 'RSA'],
  ])('refuses %s', (_label, jwk) => {
    expect(
      importSigningKey(
        jwk,
        ALL.filter((alg) => alg !== 'RS512'),
      ),
    ).toBeUndefined();
  });
});

describe('keyFitsAlgorithm', () => {
  const rsaKey = imported(rsa2048);
  const secp256k1 = imported(ecKeyPair('secp256k1'));

  it.each([
    ['RSA', rsaKey, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
    ['P-256', imported(p256), ['ES256']],
    ['P-384', imported(p384), ['ES384']],
    ['P-521', imported(p521), ['ES512']],
    ['secp256k1', secp256k1, []],
  ] as const)('an %s key verifies exactly %j', (_label, key, fits) => {
    expect(ALL.filter((alg) => keyFitsAlgorithm(key, alg))).toEqual(fits);
  });

  it('holds a key to the alg its JWK pins', () => {
    const pinned = imported(rsa2048, { alg: 'PS256' });
    expect(ALL.filter((alg) => keyFitsAlgorithm(pinned, alg))).toEqual(['PS256']);
  });

  it('never lets an EC key pinned to ES384 verify ES256, even on P-256', () => {
    const pinned = imported(p256, { alg: 'ES384' });
    expect(keyFitsAlgorithm(pinned, 'ES256')).toBe(false);
    expect(keyFitsAlgorithm(pinned, 'ES384')).toBe(false);
  });
});
