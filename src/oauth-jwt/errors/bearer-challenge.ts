import type { BearerTokenException } from './bearer-token.exception';

/**
 * The `WWW-Authenticate` value for a refusal (RFC 6750 §3), or undefined where none belongs (503).
 * Every value put in it is ours: the realm and scopes are validated at start-up, the description
 * comes from the fixed registry, so the header never carries client input.
 */
export function buildBearerChallenge(
  exception: BearerTokenException,
  realm: string,
): string | undefined {
  if (exception.getStatus() === 503) return undefined;
  const attributes = [`realm="${realm}"`];
  if (exception.error) {
    attributes.push(`error="${exception.error}"`, `error_description="${exception.description}"`);
  }
  if (exception.error === 'insufficient_scope' && exception.requiredScopes.length > 0) {
    attributes.push(`scope="${exception.requiredScopes.join(' ')}"`);
  }
  return `Bearer ${attributes.join(', ')}`;
}
