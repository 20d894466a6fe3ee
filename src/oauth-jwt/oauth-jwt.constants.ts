/** Name under which the strategy registers with passport (a per-module suffix is added, see JwtStrategy). */
export const OAUTH_JWT_STRATEGY = 'oauth-jwt';

/** Injection token of the validated, defaulted options (what every provider of the module reads). */
export const OAUTH_JWT_RESOLVED_OPTIONS = 'OAUTH_JWT:RESOLVED_OPTIONS';

/** Metadata keys, namespaced so they never collide with an app's own. */
export const IS_PUBLIC_KEY = 'oauth-jwt:public';
export const REQUIRED_SCOPES_KEY = 'oauth-jwt:required-scopes';
export const ANY_SCOPES_KEY = 'oauth-jwt:any-scopes';
export const REQUIRED_CLAIMS_KEY = 'oauth-jwt:required-claims';

/** The request slot JwtAuthGuard puts the partner in and `@Client()` reads. A symbol: no clash with app fields. */
export const REQUEST_CLIENT = Symbol('oauth-jwt:client');
