import type { BearerTokenException } from './bearer-token.exception';

/**
 * The `WWW-Authenticate` value for a refusal (RFC 6750 §3), or undefined where none belongs (503).
 * With `resourceMetadataUrl`, every challenge ends with `resource_metadata` (RFC 9728 §5.1).
 * Every value put in it is ours: the realm, the URL and the scopes are validated at start-up, the
 * description comes from the fixed registry, so the header never carries client input.
 */
export function buildBearerChallenge(
  exception: BearerTokenException,
  realm: string,
  resourceMetadataUrl?: string,
): string | undefined {
  if (exception.getStatus() === 503) return undefined;
  const attributes = [`realm="${realm}"`];
  if (exception.error) {
    attributes.push(`error="${exception.error}"`, `error_description="${exception.description}"`);
  }
  if (exception.error === 'insufficient_scope' && exception.requiredScopes.length > 0) {
    attributes.push(`scope="${exception.requiredScopes.join(' ')}"`);
  }
  if (resourceMetadataUrl !== undefined) {
    attributes.push(`resource_metadata="${resourceMetadataUrl}"`);
  }
  return `Bearer ${attributes.join(', ')}`;
}
