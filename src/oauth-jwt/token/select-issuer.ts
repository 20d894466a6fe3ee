import { BearerTokenException } from '../errors/bearer-token.exception';
import type { TokenAlgorithm } from '../oauth-jwt-options.interface';
import { checkJoseHeader, type DecodedJws } from './decode-jose-header';

/** What any trusted issuer accepts in a header: the header check runs before `bad_issuer`. */
export interface AnyIssuerHeader {
  readonly algorithms: readonly TokenAlgorithm[];
  readonly tokenTypes: readonly string[];
  readonly typeRequired: boolean;
}

/**
 * Picks the trusted issuer a token claims to come from, before any key is looked up: the token is
 * decoded once, strictly (decodeCompactJws), and its unverified `iss` is looked up exactly in the
 * allow-list. The `iss` only selects a candidate: that issuer's strategy then verifies the
 * signature with that issuer's keys only, and `iss`, audience and algorithms against that issuer's
 * settings. An `iss` not on the list is refused here (`bad_issuer`, after the header checks any
 * issuer would make), so no key set is ever fetched for it.
 */
export function selectIssuer<T>(
  decoded: DecodedJws,
  candidates: ReadonlyMap<string, T>,
  anyHeader: AnyIssuerHeader,
): T {
  const iss = decoded.payload?.['iss'];
  const candidate = typeof iss === 'string' ? candidates.get(iss) : undefined;
  if (candidate !== undefined) return candidate;
  // A header no trusted issuer accepts, or a payload that is no claim set, says more than the
  // issuer does (malformed, algorithm, typ, nested JWT): the same refusal as with one issuer, in
  // the same order. Still no key is looked up.
  checkJoseHeader(decoded, anyHeader.algorithms, anyHeader.tokenTypes, anyHeader.typeRequired);
  throw new BearerTokenException('bad_issuer');
}
