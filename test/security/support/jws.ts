import { constants, createHmac, sign, type KeyObject } from 'node:crypto';
import { AUDIENCE, ISSUER, KID } from './constants';

/**
 * JWS compact serialization by hand (RFC 7515 §7.1), so that any header, any payload and any
 * signature can be produced, including malformed ones no JWT library would sign.
 */

export type JsonObject = Record<string, unknown>;

/** A header or payload: an object (serialized with JSON.stringify) or raw JSON text, sent as is. */
export type Segment = JsonObject | string;

export type AsymmetricAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256';
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

export type SigningKey =
  | { readonly alg: AsymmetricAlgorithm; readonly key: KeyObject }
  | { readonly alg: HmacAlgorithm; readonly secret: Buffer | string };

const HASH: Record<AsymmetricAlgorithm | HmacAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
};

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function encodeSegment(segment: Segment): string {
  return base64url(typeof segment === 'string' ? segment : JSON.stringify(segment));
}

/** The signature of `input` (the ASCII `header.payload`) as RFC 7518 §3 defines it per algorithm. */
export function signatureOf(input: string, signer: SigningKey): Buffer {
  const hash = HASH[signer.alg];
  if ('secret' in signer) return createHmac(hash, signer.secret).update(input).digest();
  if (signer.alg.startsWith('PS')) {
    return sign(hash, Buffer.from(input), {
      key: signer.key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  if (signer.alg === 'ES256') {
    // JWS wants r || s (RFC 7518 §3.4), not the DER node:crypto produces by default.
    return sign(hash, Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
  }
  return sign(hash, Buffer.from(input), signer.key);
}

/** `header.payload.signature`, signed with `signer`. */
export function signJws(header: Segment, payload: Segment, signer: SigningKey): string {
  const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  return `${input}.${base64url(signatureOf(input, signer))}`;
}

/** `header.payload.signature` with a signature given as is (base64url text). */
export function unsignedJws(header: Segment, payload: Segment, signature = ''): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}.${signature}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A complete, valid RFC 9068 access-token payload for partner-a (iss, aud, exp, sub, iat, jti,
 * client_id and a scope), with `overrides` applied; an override of `undefined` removes the claim.
 * `client_id` follows an overridden string `sub`: a client-credentials token names its client in
 * both (RFC 9068 §2.2), so a test changing `sub` changes the client, not the grant type.
 * Tests change exactly one thing, so a refusal can only come from that change.
 */
export function claims(overrides: JsonObject = {}, now = nowSeconds()): JsonObject {
  return withOverrides(
    {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'partner-a',
      client_id: typeof overrides['sub'] === 'string' ? overrides['sub'] : 'partner-a',
      iat: now,
      exp: now + 300,
      jti: `jti-${now}-${Math.random().toString(36).slice(2)}`,
      scope: 'list:users read:users',
    },
    overrides,
  );
}

/** The header the issuer uses (RS256, its kid, `typ: at+jwt`), with `overrides` applied. */
export function header(overrides: JsonObject = {}): JsonObject {
  return withOverrides({ alg: 'RS256', typ: 'at+jwt', kid: KID.rsa }, overrides);
}

function withOverrides(base: JsonObject, overrides: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) {
      Reflect.deleteProperty(result, name);
    } else {
      result[name] = value;
    }
  }
  return result;
}

/** The three segments of a compact JWS (throws on anything else: a test bug, not a case). */
export function segmentsOf(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a three-part token');
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

/** The token with one character in the MIDDLE of its signature changed. (The last character of a
 * base64url signature carries padding bits a decoder may ignore: changing it can leave the decoded
 * signature unchanged, so a test flipping it could pass for the wrong reason.) */
export function flipMiddleOfSignature(token: string): string {
  const [h, p, s] = segmentsOf(token);
  const middle = Math.floor(s.length / 2);
  const replacement = s.charAt(middle) === 'A' ? 'B' : 'A';
  return `${h}.${p}.${s.slice(0, middle)}${replacement}${s.slice(middle + 1)}`;
}
