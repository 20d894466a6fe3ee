import { createHmac, sign, type KeyObject } from 'node:crypto';

/** A JSON object: a JOSE header or a JWT claims set. */
export type JsonObject = Record<string, unknown>;

/** base64url(JSON): one segment of a JWS compact serialization. */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** An RS256 JWS (RSASSA-PKCS1-v1_5 with SHA-256) over `header` and `payload`. */
export function signRs256(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** An HS256 JWS keyed with `secret` (used to forge algorithm-confusion tokens). */
export function signHs256(
  header: JsonObject,
  payload: JsonObject,
  secret: string | Buffer,
): string {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = createHmac('sha256', secret).update(signingInput, 'ascii').digest('base64url');
  return `${signingInput}.${signature}`;
}

/** An unsecured JWS (RFC 7519 §6): `alg` none and an empty signature. */
export function unsecured(header: JsonObject, payload: JsonObject): string {
  return `${encodeSegment({ ...header, alg: 'none' })}.${encodeSegment(payload)}.`;
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
