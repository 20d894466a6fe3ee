import { OAuthJwtConfigurationError } from '../errors/oauth-jwt-configuration.error';
import { OPTIONS_TABLE } from '../oauth-jwt-options.table';
import type { ResolvedResourceMetadata } from '../oauth-jwt-options.interface';
import { HEADER_SAFE, httpUrl } from '../option-checks';

/** RFC 9728 §3: the well-known URI suffix of protected resource metadata. */
export const RESOURCE_METADATA_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The nested option names the table knows (`resource`, `resourceName`, ...). */
const KNOWN_KEYS = new Set(
  Object.keys(OPTIONS_TABLE)
    .filter((name) => name.startsWith('resourceMetadata.'))
    .map((name) => name.slice('resourceMetadata.'.length)),
);

/**
 * A resource path the routers take literally: Express and Fastify read `:`, `*`, `(` and the like
 * in a route as parameters, so the path is restricted to RFC 3986 unreserved characters and `/`.
 */
const LITERAL_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Validates `resourceMetadata`, failing fast naming the option; undefined when absent. */
export function resolveResourceMetadata(value: unknown): ResolvedResourceMetadata | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthJwtConfigurationError('resourceMetadata', 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new OAuthJwtConfigurationError(`resourceMetadata.${key}`, 'is not a known option');
    }
  }
  const { resource, resourceName, resourceDocumentation } = value as Record<string, unknown>;
  httpUrl('resourceMetadata.resource', resource, true);
  const { url, path } = wellKnownLocation(resource as string);
  if (!HEADER_SAFE.test(resource as string) || !HEADER_SAFE.test(url)) {
    throw new OAuthJwtConfigurationError(
      'resourceMetadata.resource',
      'must be printable ASCII without quotes or backslashes',
    );
  }
  if (resourceName !== undefined && (typeof resourceName !== 'string' || resourceName === '')) {
    throw new OAuthJwtConfigurationError(
      'resourceMetadata.resourceName',
      'must be a non-empty string',
    );
  }
  if (resourceDocumentation !== undefined) {
    httpUrl('resourceMetadata.resourceDocumentation', resourceDocumentation);
  }
  return Object.freeze({
    resource: resource as string,
    url,
    path,
    resourceName: resourceName,
    resourceDocumentation: resourceDocumentation as string | undefined,
  });
}

/**
 * RFC 9728 §3: the well-known suffix goes between the host and the resource's path, a lone
 * terminating `/` removed (`https://api.example.com/` → `…/.well-known/oauth-protected-resource`,
 * `https://api.example.com/v1` → `…/.well-known/oauth-protected-resource/v1`).
 */
export function wellKnownLocation(resource: string): { url: string; path: string } {
  const parsed = new URL(resource);
  if (parsed.username !== '' || parsed.password !== '') {
    throw new OAuthJwtConfigurationError('resourceMetadata.resource', 'must not carry credentials');
  }
  if (!LITERAL_PATH.test(parsed.pathname)) {
    throw new OAuthJwtConfigurationError(
      'resourceMetadata.resource',
      'must have a path of letters, digits, "-", ".", "_", "~" and "/" only',
    );
  }
  const path = RESOURCE_METADATA_WELL_KNOWN + (parsed.pathname === '/' ? '' : parsed.pathname);
  return { url: parsed.origin + path, path };
}
