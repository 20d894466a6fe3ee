import { BearerTokenException } from '../errors/bearer-token.exception';
import type { TokenAlgorithm } from '../oauth-jwt-options.interface';
import { decodeJoseHeader } from './decode-jose-header';

/** What any trusted issuer accepts in a header: the header check runs before `bad_issuer`. */
export interface AnyIssuerHeader {
  readonly algorithms: readonly TokenAlgorithm[];
  readonly tokenTypes: readonly string[];
  readonly typeRequired: boolean;
}

/** JWS compact serialization: three base64url segments, the signature non-empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Picks the trusted issuer a token claims to come from, before any key is looked up: the payload
 * is decoded once, strictly (compact JWS, UTF-8, a JSON object), and its unverified `iss` is looked
 * up exactly in the allow-list. The `iss` only selects a candidate: that issuer's strategy then
 * verifies the signature with that issuer's keys only, and `iss`, audience and algorithms against
 * that issuer's settings. An `iss` not on the list is refused here (`bad_issuer`, after the header
 * checks any issuer would make), so no key set is ever fetched for it.
 */
export function selectIssuer<T>(
  token: string,
  candidates: ReadonlyMap<string, T>,
  anyHeader: AnyIssuerHeader,
): T {
  const iss = unverifiedIssuer(token);
  const candidate = iss === undefined ? undefined : candidates.get(iss);
  if (candidate !== undefined) return candidate;
  // A header no trusted issuer accepts, or a payload that is no claim set, says more than the
  // issuer does (malformed, algorithm, typ, nested JWT): the same refusal as with one issuer, in
  // the same order. Still no key is looked up.
  decodeJoseHeader(token, anyHeader.algorithms, anyHeader.tokenTypes, anyHeader.typeRequired);
  throw new BearerTokenException('bad_issuer');
}

/** The payload's `iss` when it is a string in a strict UTF-8 JSON object; else undefined. */
function unverifiedIssuer(token: string): string | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const payload = token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
  let claims: unknown;
  try {
    claims = JSON.parse(STRICT_UTF8.decode(Buffer.from(payload, 'base64url')));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
  const { iss } = claims as { iss?: unknown };
  return typeof iss === 'string' ? iss : undefined;
}
