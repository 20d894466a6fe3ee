import { BearerTokenException } from '../errors/bearer-token.exception';
import type { SupportedAlgorithm } from '../oauth-jwt-options.interface';

/** The parts of a JOSE header we act on. */
export interface JoseHeader {
  readonly alg: SupportedAlgorithm;
  readonly kid: string | undefined;
}

/** JWS compact serialization: three base64url segments, the signature non-empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Decodes and checks the token's header before any key is looked up (RFC 8725 §3.1):
 * the `alg` must be allow-listed (so `none` and HMAC never reach a key), `crit` and `b64` are
 * refused (we implement no extension), `typ` must be an access-token type, and `jku`, `x5u`,
 * `jwk`, `x5c` are ignored: keys come only from the configured issuer's JWKS.
 */
export function decodeJoseHeader(
  token: string,
  algorithms: readonly SupportedAlgorithm[],
  tokenTypes: readonly string[],
): JoseHeader {
  if (!COMPACT_JWS.test(token)) throw new BearerTokenException('malformed_token');
  const encoded = token.slice(0, token.indexOf('.'));
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new BearerTokenException('malformed_token');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new BearerTokenException('malformed_token');
  }
  const fields = header as Record<string, unknown>;
  const { alg, kid, typ } = fields;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new BearerTokenException('unsupported_algorithm');
  }
  if (fields['crit'] !== undefined || fields['b64'] !== undefined) {
    throw new BearerTokenException('unsupported_header');
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    throw new BearerTokenException('malformed_token');
  }
  if (
    typ !== undefined &&
    (typeof typ !== 'string' || !tokenTypes.includes(normalizeTokenType(typ)))
  ) {
    throw new BearerTokenException('bad_token_type');
  }
  assertObjectPayload(token);
  return { alg: alg as SupportedAlgorithm, kid };
}

/**
 * RFC 7519 §7.2: the payload must be a JSON object. jsonwebtoken lets a string payload through to
 * its claim checks (it then fails as a wrong audience); say what it is instead.
 */
function assertObjectPayload(token: string): void {
  const start = token.indexOf('.') + 1;
  const encoded = token.slice(start, token.indexOf('.', start));
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new BearerTokenException('malformed_token');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BearerTokenException('malformed_token');
  }
}

/** RFC 7515 §4.1.9: `typ` is a media type, compared case-insensitively, `application/` optional. */
export function normalizeTokenType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
