import type {
  OpenAPIObject,
  OperationObject,
  ResponseObject,
  SecurityRequirementObject,
} from '@nestjs/swagger';
import {
  type ChallengeSettings,
  ERROR_BODY_SCHEMA,
  ERROR_SCHEMA,
  forbiddenResponse,
  KEYS_UNAVAILABLE_RESPONSE,
  keysUnavailableResponse,
  UNAUTHORIZED_RESPONSE,
  unauthorizedResponse,
} from './openapi-responses';
import type { RouteSecurity } from './route-security';

/** Everything withOAuthJwtSecurity() needs besides the document and the routes. */
export interface OAuthJwtDocumentSettings {
  /** Left out of the flow when undefined (not known yet); the description then says so. */
  readonly tokenUrl: string | undefined;
  readonly realm: string;
  /** RFC 9728 `resource_metadata` of the challenges, when the module publishes metadata. */
  readonly resourceMetadataUrl?: string | undefined;
  readonly schemeName: string;
  readonly description: string;
  /** Scope → description; overrides the generated ones and adds scopes no route requires. */
  readonly scopeDescriptions: Readonly<Record<string, string>>;
  /** A client resolver is configured (an unknown partner answers 403). */
  readonly partnerResolution: boolean;
}

/** Appended to the scheme's description while the document has no token URL. */
export const TOKEN_URL_UNKNOWN =
  'The token URL is not known yet (the issuer could not be reached): reload this document later.';

const OPERATION_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
  'search',
] as const;

/**
 * A copy of `document` with the OAuth 2.0 client-credentials scheme and its scope catalogue, and
 * on each operation of a route that needs a token: the security requirement with exactly the
 * route's scopes (one alternative per `@RequireAnyScope` choice) and the 401, 403 and 503
 * responses the module can give (responses the document already has are kept). Operations of
 * `@Public` routes get no requirement (an explicit empty one if the document has a global one).
 */
export function withOAuthJwtSecurity(
  document: OpenAPIObject,
  routes: readonly RouteSecurity[],
  settings: OAuthJwtDocumentSettings,
): OpenAPIObject {
  const result = structuredClone(document);
  const find = routeFinder(routes);
  const usage = new Map<string, string[]>();
  let secured = false;

  for (const [path, item] of Object.entries(result.paths)) {
    const operations = item as Partial<Record<string, OperationObject>>;
    for (const method of OPERATION_METHODS) {
      const operation = operations[method];
      const route = operation && find(method, path);
      if (!operation || !route) continue;
      if (!route.requiresToken) {
        if (result.security && result.security.length > 0) operation.security = [];
        continue;
      }
      secured = true;
      const alternatives = scopeAlternatives(route.requiredScopes, route.anyScopeGroups);
      for (const scope of new Set(alternatives.flat())) {
        usage.set(scope, [...(usage.get(scope) ?? []), `${method.toUpperCase()} ${path}`]);
      }
      operation.security = [
        ...(operation.security ?? []).filter(
          (requirement) => !(settings.schemeName in requirement),
        ),
        ...alternatives.map((scopes): SecurityRequirementObject => ({
          [settings.schemeName]: scopes,
        })),
      ];
      addResponses(operation, route, settings);
    }
  }

  const components = (result.components ??= {});
  components.securitySchemes = {
    ...components.securitySchemes,
    [settings.schemeName]: {
      type: 'oauth2',
      description:
        settings.tokenUrl === undefined
          ? `${settings.description} ${TOKEN_URL_UNKNOWN}`
          : settings.description,
      flows: {
        clientCredentials: {
          ...(settings.tokenUrl === undefined ? {} : { tokenUrl: settings.tokenUrl }),
          scopes: scopeCatalogue(routes, usage, settings.scopeDescriptions),
        },
      },
    },
  };
  if (secured) {
    components.schemas = { ...components.schemas, [ERROR_SCHEMA]: ERROR_BODY_SCHEMA };
    components.responses = {
      ...components.responses,
      [UNAUTHORIZED_RESPONSE]: unauthorizedResponse(challengeSettings(settings)),
      [KEYS_UNAVAILABLE_RESPONSE]: keysUnavailableResponse(settings.partnerResolution),
    };
  }
  return result;
}

/**
 * The scope sets that satisfy ScopesGuard: every required scope plus one scope of each
 * `@RequireAnyScope` group, each set sorted. OpenAPI reads a list of requirement objects as
 * alternatives.
 */
export function scopeAlternatives(
  required: readonly string[],
  anyOf: readonly (readonly string[])[],
): string[][] {
  let alternatives: string[][] = [[...new Set(required)]];
  for (const group of anyOf) {
    alternatives = alternatives.flatMap((scopes) =>
      group.map((scope) => [...new Set([...scopes, scope])]),
    );
  }
  // Sorted, so the document does not depend on the order decorators were stacked in.
  const unique = new Map(
    alternatives.map((scopes) => {
      const sorted = [...scopes].sort();
      return [sorted.join(' '), sorted];
    }),
  );
  return [...unique.keys()].sort().map((key) => unique.get(key) ?? []);
}

function addResponses(
  operation: OperationObject,
  route: RouteSecurity,
  settings: OAuthJwtDocumentSettings,
): void {
  const responses = (operation.responses as Record<string, unknown> | undefined) ?? {};
  const add = (status: string, response: ResponseObject | { $ref: string } | undefined) => {
    if (response && !(status in responses)) responses[status] = response;
  };
  add('401', { $ref: `#/components/responses/${UNAUTHORIZED_RESPONSE}` });
  add(
    '403',
    forbiddenResponse(challengeSettings(settings), {
      scopes:
        route.requiredScopes.length > 0 ? route.requiredScopes : (route.anyScopeGroups[0] ?? []),
      claims: route.claims.map(({ name, value }) =>
        value === undefined ? name : `${name} = ${String(value)}`,
      ),
      partnerResolution: settings.partnerResolution,
    }),
  );
  add('503', { $ref: `#/components/responses/${KEYS_UNAVAILABLE_RESPONSE}` });
  operation.responses = responses as OperationObject['responses'];
}

function challengeSettings(settings: OAuthJwtDocumentSettings): ChallengeSettings {
  return { realm: settings.realm, resourceMetadataUrl: settings.resourceMetadataUrl };
}

function scopeCatalogue(
  routes: readonly RouteSecurity[],
  usage: ReadonlyMap<string, readonly string[]>,
  descriptions: Readonly<Record<string, string>>,
): Record<string, string> {
  const scopes = new Set<string>(Object.keys(descriptions));
  for (const route of routes) {
    for (const scope of [...route.requiredScopes, ...route.anyScopeGroups.flat()])
      scopes.add(scope);
  }
  return Object.fromEntries(
    [...scopes].sort().map((scope) => {
      const operations = usage.get(scope);
      const generated = operations ? `Used by ${operations.join(', ')}` : scope;
      return [scope, descriptions[scope] ?? generated];
    }),
  );
}

/**
 * Finds the route behind a document operation by method and path. Parameters are compared by
 * position only (`/users/:id` in Nest is `/users/{id}` in OpenAPI); paths without the global
 * prefix are tried last, for documents built with `ignoreGlobalPrefix`.
 */
function routeFinder(
  routes: readonly RouteSecurity[],
): (method: string, documentPath: string) => RouteSecurity | undefined {
  const prefixed = new Map<string, RouteSecurity>();
  const unprefixed = new Map<string, RouteSecurity>();
  for (const route of routes) {
    for (const path of route.paths)
      setOnce(prefixed, `${route.method} ${nestPathKey(path)}`, route);
    for (const path of route.unprefixedPaths) {
      setOnce(unprefixed, `${route.method} ${nestPathKey(path)}`, route);
    }
  }
  return (method, documentPath) => {
    const key = `${method} ${openApiPathKey(documentPath)}`;
    return prefixed.get(key) ?? unprefixed.get(key);
  };
}

/** First route wins, as in the router. */
function setOnce(map: Map<string, RouteSecurity>, key: string, route: RouteSecurity): void {
  if (!map.has(key)) map.set(key, route);
}

/** `/users/:id`, `/files/*path`, `/a{/:b}` → `/users/{}`, `/files/{}`, `/a/{}`. */
export function nestPathKey(path: string): string {
  return normalizeSlashes(
    path
      .replace(/\(\.\*\)/g, '*')
      .replace(/[{}]/g, '')
      .replace(/[:*](?:"[^"]*"|[A-Za-z_$][\w$]*)?/g, '{}'),
  );
}

/** `/users/{id}` → `/users/{}`. */
export function openApiPathKey(path: string): string {
  return normalizeSlashes(path.replace(/\{[^}]*\}/g, '{}'));
}

function normalizeSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
