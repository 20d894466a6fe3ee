import { constants, createHmac, sign, type KeyObject } from 'node:crypto';

/*
 * JWS compact serialization by hand (RFC 7515 §7.1), so a test can produce any header, payload
 * and signature, malformed ones included, that no JWT library would sign.
 */

/** A JSON object: a JOSE header or a JWT claims set. */
export type JsonObject = Record<string, unknown>;

/** A header or payload: an object or array (written with JSON.stringify), or raw text sent as is. */
export type JwsSegment = JsonObject | readonly unknown[] | string;

/** The asymmetric JWS algorithms signJws() signs with (RFC 7518 §3.3–§3.5). */
export type AsymmetricAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';
/** The HMAC JWS algorithms signJws() signs with (RFC 7518 §3.2). */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** What signs a JWS: its algorithm decides the signature, whatever the header's `alg` says. */
export type JwsSigner =
  | { readonly alg: AsymmetricAlgorithm; readonly key: KeyObject }
  | { readonly alg: HmacAlgorithm; readonly secret: Buffer | string };

/** base64url of text (UTF-8) or bytes. */
export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** One segment of a compact JWS: base64url of the JSON text of `segment` (or of the raw string). */
export function encodeSegment(segment: JwsSegment): string {
  return base64url(typeof segment === 'string' ? segment : JSON.stringify(segment));
}

/** The signature of `input` (the ASCII `header.payload`) as RFC 7518 §3 defines it for `signer.alg`. */
export function signatureOf(input: string, signer: JwsSigner): Buffer {
  const hash = `sha${signer.alg.slice(2)}`;
  if ('secret' in signer) return createHmac(hash, signer.secret).update(input).digest();
  const data = Buffer.from(input);
  if (signer.alg.startsWith('PS')) {
    return sign(hash, data, {
      key: signer.key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  if (signer.alg.startsWith('ES')) {
    // JWS wants r || s (RFC 7518 §3.4), not the DER node:crypto produces by default.
    return sign(hash, data, { key: signer.key, dsaEncoding: 'ieee-p1363' });
  }
  return sign(hash, data, signer.key);
}

/**
 * `header.payload.signature`, signed by `signer`. The header is written as given (its `alg` may
 * lie about the signer's), so a test controls every byte:
 *
 * ```ts
 * signJws({ alg: 'RS256', kid: 'k1', crit: ['exp'] }, { sub: 'a' }, { alg: 'RS256', key });
 * ```
 */
export function signJws(header: JwsSegment, payload: JwsSegment, signer: JwsSigner): string {
  const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  return `${input}.${base64url(signatureOf(input, signer))}`;
}

/** `header.payload.signature` with the signature given as is (base64url text; empty by default). */
export function unsignedJws(header: JwsSegment, payload: JwsSegment, signature = ''): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}.${signature}`;
}

/** The three segments of a compact JWS; throws on anything else (a test bug, not a case). */
export function segmentsOf(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a three-part token');
  return [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
}

function decodeObject(segment: string): JsonObject {
  const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('JWS segment is not a JSON object');
  }
  return parsed as JsonObject;
}

/** The header and payload of a compact JWS (not verified). */
export function decodeJws(token: string): { header: JsonObject; payload: JsonObject } {
  const [header, payload] = segmentsOf(token);
  return { header: decodeObject(header), payload: decodeObject(payload) };
}

/** `token` with its header replaced by `edit(header)`; payload and signature kept. */
export function withHeader(token: string, edit: (header: JsonObject) => JwsSegment): string {
  const [header, payload, signature] = segmentsOf(token);
  return `${encodeSegment(edit(decodeObject(header)))}.${payload}.${signature}`;
}

/** `token` with its payload replaced by `edit(payload)`; header and signature kept. */
export function withPayload(token: string, edit: (payload: JsonObject) => JwsSegment): string {
  const [header, payload, signature] = segmentsOf(token);
  return `${header}.${encodeSegment(edit(decodeObject(payload)))}.${signature}`;
}

/** `token` with another signature segment (base64url text, or empty). */
export function withSignature(token: string, signature: string): string {
  const [header, payload] = segmentsOf(token);
  return `${header}.${payload}.${signature}`;
}

/**
 * `token` with one character in the MIDDLE of its signature changed. (The last character of a
 * base64url signature carries padding bits a decoder may ignore, so changing it can leave the
 * signature as it was and a test pass for the wrong reason.)
 */
export function flipMiddleOfSignature(token: string): string {
  const signature = segmentsOf(token)[2];
  const middle = Math.floor(signature.length / 2);
  const replacement = signature.charAt(middle) === 'A' ? 'B' : 'A';
  return withSignature(
    token,
    `${signature.slice(0, middle)}${replacement}${signature.slice(middle + 1)}`,
  );
}

/**
 * `base` with `overrides` applied: a key set to `undefined` in `overrides` is removed, so a test
 * can drop a claim or header (`{ exp: undefined }`).
 */
export function mergeDefined(base: JsonObject, overrides: JsonObject | undefined): JsonObject {
  return Object.fromEntries(
    Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined),
  );
}
