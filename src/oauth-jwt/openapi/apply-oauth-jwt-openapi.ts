import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import { discoverTokenEndpoint } from './discover-token-endpoint';
import type { OAuthJwtOpenApiOptions } from './oauth-jwt-openapi-options.interface';
import { withOAuthJwtSecurity } from './openapi-document';
import { collectRouteSecurity } from './route-security';

/**
 * Documents how `app` is protected, on a copy of `document` (from `SwaggerModule.createDocument`):
 * an `oauth2` client-credentials security scheme (token URL given, discovered from the issuer, or
 * left out with `tokenUrl: null`)
 * with the catalogue of every scope the routes require; on each operation the requirement with
 * exactly its scopes (controller and handler merged, as ScopesGuard merges them; none on
 * `@Public` routes); and the 401, 403 and 503 responses with their `WWW-Authenticate` forms.
 *
 * ```ts
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
 * SwaggerModule.setup('docs', app, await applyOAuthJwtOpenApi(app, document));
 * ```
 *
 * Call it after NestFactory.create and before `listen`. Rejects when no `tokenUrl` is given and
 * the issuer's metadata names no token endpoint.
 */
export async function applyOAuthJwtOpenApi(
  app: INestApplication,
  document: OpenAPIObject,
  options: OAuthJwtOpenApiOptions = {},
): Promise<OpenAPIObject> {
  const moduleOptions = resolvedOptionsOf(app);
  const tokenUrl =
    options.tokenUrl === undefined
      ? await discoverTokenEndpoint(moduleOptions.issuer, {
          timeoutMs: moduleOptions.keySet.timeoutMs,
          maxResponseBytes: moduleOptions.keySet.maxResponseBytes,
        })
      : (options.tokenUrl ?? undefined);
  return withOAuthJwtSecurity(document, collectRouteSecurity(app), {
    tokenUrl,
    realm: moduleOptions.realm,
    resourceMetadataUrl: moduleOptions.resourceMetadata?.url,
    schemeName: options.schemeName ?? 'oauth2',
    description: options.description ?? defaultDescription(moduleOptions),
    scopeDescriptions: options.scopes ?? {},
    partnerResolution: moduleOptions.clientResolver !== undefined,
  });
}

/**
 * Names every trusted issuer with its audience. The flow has one token URL, the first issuer's:
 * one scheme per issuer would make every operation list each scheme as an alternative.
 */
function defaultDescription({ issuers }: ResolvedOAuthJwtOptions): string {
  const from = issuers
    .map(({ issuer, audience }) => `from ${issuer} for ${audience.join(' or ')}`)
    .join(', or ');
  const tokenUrl =
    issuers.length > 1
      ? ` The token URL below is the first issuer's (${issuers[0]?.issuer ?? ''}).`
      : '';
  return (
    `OAuth 2.0 client credentials: get an access token (JWT) ${from} and send it as ` +
    `\`Authorization: Bearer <token>\`.${tokenUrl}`
  );
}

function resolvedOptionsOf(app: INestApplication): ResolvedOAuthJwtOptions {
  try {
    return app.get<string, ResolvedOAuthJwtOptions>(OAUTH_JWT_RESOLVED_OPTIONS, { strict: false });
  } catch {
    throw new Error('applyOAuthJwtOpenApi(): the application does not import OAuthJwtModule');
  }
}
