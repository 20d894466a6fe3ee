import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims, OAuthPrincipal } from '../principal.interface';
import { collectScopes } from './scopes';

const AUTH0_CLIENT_SUFFIX = '@clients';

/**
 * The claim checks jsonwebtoken leaves to us, then the principal. jsonwebtoken accepts a token
 * without `exp` or `sub` and a payload that is not an object; RFC 9068 §2.2 requires `exp` and
 * `sub`, so we do. `iat` must be a number not in the future when present.
 */
export function buildPrincipal(
  payload: unknown,
  scopeClaims: readonly string[],
  clockToleranceSeconds: number,
  nowSeconds: number,
): OAuthPrincipal {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BearerTokenException('malformed_token');
  }
  const claims = deepFreeze(payload) as JwtClaims;
  const { exp, sub, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new BearerTokenException('bad_claim');
  if (typeof sub !== 'string' || sub.trim() === '') throw new BearerTokenException('bad_claim');
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat))
      throw new BearerTokenException('bad_claim');
    if (iat > nowSeconds + clockToleranceSeconds) throw new BearerTokenException('not_yet_valid');
  }
  return Object.freeze({
    subject: sub,
    clientId: clientIdOf(sub),
    scopes: collectScopes(claims, scopeClaims),
    claims,
    expiresAt: exp,
  });
}

/** The partner's client id behind `sub`: Auth0 writes `<client_id>@clients` for M2M tokens. */
export function clientIdOf(subject: string): string {
  return subject.endsWith(AUTH0_CLIENT_SUFFIX) && subject.length > AUTH0_CLIENT_SUFFIX.length
    ? subject.slice(0, -AUTH0_CLIENT_SUFFIX.length)
    : subject;
}

/** Claims are shared by every request the cached token serves: nobody may change them. */
function deepFreeze(value: object, depth = 0): object {
  if (depth > 32) throw new BearerTokenException('malformed_token');
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object, depth + 1);
  }
  return Object.freeze(value);
}
