import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims } from '../principal.interface';

/**
 * Collects the granted scopes from the configured claims, merged and de-duplicated:
 * `scope` as a space-delimited string (RFC 8693 / RFC 9068), `scp` as an array or a string
 * (Azure AD, Okta), `permissions` as an array (Auth0 RBAC). A scope claim of any other JSON
 * type makes the token invalid rather than silently granting nothing or something.
 */
export function collectScopes(
  claims: JwtClaims,
  scopeClaims: readonly string[],
): readonly string[] {
  const scopes = new Set<string>();
  for (const name of scopeClaims) {
    if (!Object.prototype.hasOwnProperty.call(claims, name)) continue;
    const value = claims[name];
    if (typeof value === 'string') {
      for (const scope of value.split(' ')) if (scope !== '') scopes.add(scope);
    } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      for (const scope of value) if (scope !== '') scopes.add(scope);
    } else {
      throw new BearerTokenException('bad_claim');
    }
  }
  return Object.freeze([...scopes]);
}

/** Whole-token comparison: `read:users` never matches `read:users:all` or `users`. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
