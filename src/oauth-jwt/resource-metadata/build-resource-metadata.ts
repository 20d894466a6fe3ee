import type { RouteSecurity } from '../openapi/route-security';
import type { ResolvedResourceMetadata } from '../oauth-jwt-options.interface';

/**
 * RFC 9728 §2 protected resource metadata, the members this module knows. Left out: `jwks_uri`
 * and `resource_signing_alg_values_supported` (the API signs nothing), the mTLS and DPoP members
 * (bound tokens are not supported; absent means false), `signed_metadata`.
 */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  /** Every trusted issuer: their tokens are the ones accepted. */
  readonly authorization_servers: readonly string[];
  /** Every scope a route requires (`@RequireScopes`, `@RequireAnyScope`), sorted; absent if none. */
  readonly scopes_supported?: readonly string[];
  /** Only the Authorization header: tokens in the query or body are refused (RFC 6750 §2). */
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
}

/** The metadata document of `settings`, its scopes read from the routes' own decorators. */
export function buildResourceMetadata(
  settings: ResolvedResourceMetadata,
  issuers: readonly string[],
  routes: readonly RouteSecurity[],
): ProtectedResourceMetadata {
  const scopes = [
    ...new Set(
      routes.flatMap((route) => [...route.requiredScopes, ...route.anyScopeGroups.flat()]),
    ),
  ].sort();
  return {
    resource: settings.resource,
    authorization_servers: [...new Set(issuers)],
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
    bearer_methods_supported: ['header'],
    ...(settings.resourceName === undefined ? {} : { resource_name: settings.resourceName }),
    ...(settings.resourceDocumentation === undefined
      ? {}
      : { resource_documentation: settings.resourceDocumentation }),
  };
}
