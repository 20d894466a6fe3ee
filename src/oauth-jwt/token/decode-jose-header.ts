import { BearerTokenException } from '../errors/bearer-token.exception';
import type { TokenAlgorithm } from '../oauth-jwt-options.interface';

/** The parts of a JOSE header we act on. */
export interface JoseHeader {
  readonly alg: TokenAlgorithm;
  readonly kid: string | undefined;
}

/** JWS compact serialization: three base64url segments, the signature non-empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * RFC 7519 §7.2 step 10: header and claims are UTF-8; invalid bytes make the token malformed
 * instead of turning into U+FFFD. `ignoreBOM` keeps a byte-order mark, which JSON then refuses.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A compact JWS decoded once, strictly, before any key is looked up: the header a strict UTF-8
 * JSON object (else `malformed_token`), the payload the same or undefined (judged by
 * checkJoseHeader, after the header, so a bad header is named first). Decoded once per cache miss
 * and handed from the issuer selection to the strategy, never parsed again by us.
 */
export interface DecodedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>> | undefined;
}

export function decodeCompactJws(token: string): DecodedJws {
  if (!COMPACT_JWS.test(token)) throw new BearerTokenException('malformed_token');
  const first = token.indexOf('.');
  const header = decodeJsonObject(token.slice(0, first));
  let payload: Record<string, unknown> | undefined;
  try {
    payload = decodeJsonObject(token.slice(first + 1, token.lastIndexOf('.')));
  } catch {
    payload = undefined;
  }
  return { header, payload };
}

/**
 * Checks the token's header before any key is looked up (RFC 8725 §3.1): the `alg` must be
 * allow-listed (so `none` and HMAC never reach a key), `crit` and `b64` are refused (we implement
 * no extension), `typ` must be an access-token type, a `cty` naming a nested JWT is refused
 * (RFC 7519 §7.2 step 8: we support none), and `jku`, `x5u`, `jwk`, `x5c` are ignored: keys come
 * only from the configured issuer's key source. Then the payload must be a JSON object.
 */
export function checkJoseHeader(
  { header: fields, payload }: DecodedJws,
  algorithms: readonly TokenAlgorithm[],
  tokenTypes: readonly string[],
  typeRequired = false,
): JoseHeader {
  const { alg, kid, typ, cty } = fields;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new BearerTokenException('unsupported_algorithm');
  }
  if (fields['crit'] !== undefined || fields['b64'] !== undefined || namesNestedJwt(cty)) {
    throw new BearerTokenException('unsupported_header');
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    throw new BearerTokenException('malformed_token');
  }
  // RFC 9068 §4 (requireRfc9068): a token without `typ` is not known to be an access token.
  if (
    typ === undefined
      ? typeRequired
      : typeof typ !== 'string' || !tokenTypes.includes(normalizeTokenType(typ))
  ) {
    throw new BearerTokenException('bad_token_type');
  }
  // RFC 7519 §7.2: the payload must be a JSON object. jsonwebtoken lets a string payload
  // through to its claim checks (it then fails as a wrong audience); say what it is instead.
  if (payload === undefined) throw new BearerTokenException('malformed_token');
  return { alg: alg as TokenAlgorithm, kid };
}

/** decodeCompactJws then checkJoseHeader: the whole header check of one token. */
export function decodeJoseHeader(
  token: string,
  algorithms: readonly TokenAlgorithm[],
  tokenTypes: readonly string[],
  typeRequired = false,
): JoseHeader {
  return checkJoseHeader(decodeCompactJws(token), algorithms, tokenTypes, typeRequired);
}

/** One base64url segment as a JSON object, from strict UTF-8; anything else is malformed. */
function decodeJsonObject(encoded: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(Buffer.from(encoded, 'base64url')));
  } catch {
    throw new BearerTokenException('malformed_token');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BearerTokenException('malformed_token');
  }
  return value as Record<string, unknown>;
}

/** RFC 7519 §5.2: `cty: "JWT"` (a media type: any case, `application/` optional) marks a nested JWT. */
function namesNestedJwt(cty: unknown): boolean {
  return typeof cty === 'string' && normalizeTokenType(cty) === 'jwt';
}

/** RFC 7515 §4.1.9: `typ` is a media type, compared case-insensitively, `application/` optional. */
export function normalizeTokenType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
