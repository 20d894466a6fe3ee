import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims } from '../principal.interface';

/** The JSON shapes a scope claim may take. */
type ScopeClaimShape = 'string' | 'array';

/**
 * Each well-known scope claim has ONE shape: `scope` a space-delimited string (RFC 8693 §4.2,
 * RFC 9068 §2.2.3), `scp` a string or an array of strings (Azure AD, Okta), `permissions` an array
 * of strings (Auth0 RBAC). A claim the application names itself may be either.
 */
const SHAPES_OF: ReadonlyMap<string, readonly ScopeClaimShape[]> = new Map([
  ['scope', ['string']],
  ['scp', ['string', 'array']],
  ['permissions', ['array']],
]);
const ANY_SHAPE: readonly ScopeClaimShape[] = ['string', 'array'];

/**
 * Collects the granted scopes from the configured claims, merged and de-duplicated. A scope claim
 * of any other JSON type (`scope` as an array, `permissions` as a string, a number, ...) makes the
 * token invalid rather than silently granting nothing or something.
 */
export function collectScopes(
  claims: JwtClaims,
  scopeClaims: readonly string[],
): readonly string[] {
  const scopes = new Set<string>();
  for (const name of scopeClaims) {
    if (!Object.prototype.hasOwnProperty.call(claims, name)) continue;
    const value = claims[name];
    const shapes = SHAPES_OF.get(name) ?? ANY_SHAPE;
    if (typeof value === 'string' && shapes.includes('string')) {
      for (const scope of value.split(' ')) if (scope !== '') scopes.add(scope);
    } else if (shapes.includes('array') && isStringArray(value)) {
      for (const scope of value) if (scope !== '') scopes.add(scope);
    } else {
      throw new BearerTokenException('bad_claim');
    }
  }
  return Object.freeze([...scopes]);
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Whole-token comparison: `read:users` never matches `read:users:all` or `users`. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
