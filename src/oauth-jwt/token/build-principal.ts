import { BearerTokenException } from '../errors/bearer-token.exception';
import type { AudienceRule } from '../oauth-jwt-options.interface';
import type { JwtClaims, OAuthPrincipal } from '../principal.interface';
import { identifyClient, type ClientIdentification } from './identify-client';
import { PROFILE_RULES } from './provider-profiles';
import { collectScopes } from './scopes';

const AUTH0_CLIENT_SUFFIX = '@clients';

/** What one issuer's profile and settings ask of the claims beside jsonwebtoken's checks. */
export interface PrincipalRules extends ClientIdentification {
  readonly audience: readonly string[];
  readonly audienceRule: AudienceRule;
  /** RFC 9068 §2.2 strictly: `client_id`, `iat` and `jti` required. */
  readonly requireRfc9068: boolean;
}

/** The `generic` profile with its defaults (RFC 9068, client-credentials only). */
export const GENERIC_RULES: PrincipalRules = {
  clientIdClaims: PROFILE_RULES.generic.clientIdClaims,
  rules: PROFILE_RULES.generic,
  clientCredentialsOnly: true,
  audience: [],
  audienceRule: 'aud',
  requireRfc9068: false,
};

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
  rules: PrincipalRules = GENERIC_RULES,
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
  if (rules.requireRfc9068 && !hasRfc9068Claims(claims))
    throw new BearerTokenException('bad_claim');
  const clientId = identifyClient(claims, rules);
  const scopes = collectScopes(claims, scopeClaims);
  return Object.freeze({
    subject: sub,
    clientId,
    scopes:
      rules.audienceRule === 'aud' ? scopes : scopesOfAudience(claims, scopes, rules.audience),
    claims,
    expiresAt: exp,
  });
}

/** RFC 9068 §2.2: `client_id` a string, `iat` a number (checked above), `jti` a string. */
function hasRfc9068Claims(claims: JwtClaims): boolean {
  const { client_id: clientId, iat, jti } = claims;
  return (
    typeof clientId === 'string' &&
    clientId !== '' &&
    typeof iat === 'number' &&
    typeof jti === 'string' &&
    jti !== ''
  );
}

/**
 * The `scope-prefix` audience rule (Amazon Cognito resource servers): `<audience>/<scope>` grants
 * `<scope>`; scopes of other resource servers grant nothing here. The token is for this API when
 * one of its scopes has our prefix, or when it carries an `aud` naming us; an `aud` naming only
 * others is refused.
 */
function scopesOfAudience(
  claims: JwtClaims,
  scopes: readonly string[],
  audience: readonly string[],
): readonly string[] {
  const ours = new Set<string>();
  for (const scope of scopes) {
    for (const identifier of audience) {
      const prefix = `${identifier}/`;
      if (scope.length > prefix.length && scope.startsWith(prefix)) {
        ours.add(scope.slice(prefix.length));
      }
    }
  }
  const aud = claims['aud'];
  if (aud !== undefined) {
    const named = Array.isArray(aud) ? aud : [aud];
    if (!named.some((value) => typeof value === 'string' && audience.includes(value))) {
      throw new BearerTokenException('bad_audience');
    }
  } else if (ours.size === 0) {
    throw new BearerTokenException('bad_audience');
  }
  return Object.freeze([...ours]);
}

/**
 * The partner's client id behind an Auth0 `sub`: Auth0 writes `<client_id>@clients` for M2M
 * tokens. Only the `auth0` profile applies it (see identify-client.ts).
 */
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
