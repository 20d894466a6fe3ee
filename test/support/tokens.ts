/**
 * Hand-modified variants of real access tokens (JWS compact serialization). Every helper starts
 * from a token the authorization server issued and changes exactly one thing, so a refusal can
 * only be caused by that change.
 */

export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  /** The raw (base64url) segments, as issued. */
  readonly segments: readonly [string, string, string];
}

export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeSegment(segment: string): JsonObject {
  const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('JWT segment is not a JSON object');
  }
  return parsed as JsonObject;
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || signature === undefined) {
    throw new Error('not a JWS compact token');
  }
  return {
    header: decodeSegment(header),
    payload: decodeSegment(payload),
    segments: [header, payload, signature],
  };
}

/** The token with its header replaced by `header(original)`; payload and signature kept. */
export function withHeader(token: string, edit: (header: JsonObject) => JsonObject): string {
  const { header, segments } = decodeJwt(token);
  return [encodeSegment(edit({ ...header })), segments[1], segments[2]].join('.');
}

/** The token with its payload replaced by `edit(original)`; header and signature kept. */
export function withPayload(token: string, edit: (payload: JsonObject) => JsonObject): string {
  const { payload, segments } = decodeJwt(token);
  return [segments[0], encodeSegment(edit({ ...payload })), segments[2]].join('.');
}

/** The token with another (base64url) signature segment. */
export function withSignature(token: string, signature: string): string {
  const { segments } = decodeJwt(token);
  return [segments[0], segments[1], signature].join('.');
}

/**
 * Changes one character in the middle of the signature. (The last character of a base64url
 * RSA signature carries padding bits that decoders may ignore, so flipping it can leave the
 * decoded signature unchanged.)
 */
export function flipSignatureCharacter(token: string): string {
  const signature = decodeJwt(token).segments[2];
  const middle = Math.floor(signature.length / 2);
  const original = signature.charAt(middle);
  const replacement = original === 'A' ? 'B' : 'A';
  return withSignature(
    token,
    signature.slice(0, middle) + replacement + signature.slice(middle + 1),
  );
}

/** An unsigned token (`alg` set to `spelling`, e.g. none/None/NONE) with an empty signature. */
export function unsignedToken(token: string, spelling: string): string {
  return withSignature(
    withHeader(token, (header) => ({ ...header, alg: spelling })),
    '',
  );
}
