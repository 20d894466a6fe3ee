import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims } from '../principal.interface';
import type { ProfileRules } from './provider-profiles';

/** What identify-client needs of an issuer's settings. */
export interface ClientIdentification {
  readonly clientIdClaims: readonly string[];
  readonly rules: ProfileRules;
  readonly clientCredentialsOnly: boolean;
}

/**
 * The partner's client id, read where the issuer's profile says (`bad_claim` when absent), then,
 * unless the app admits user tokens, the check that the token was issued to that client for
 * itself: every claim naming the client (`client_id`, `azp`, the profile's own) agrees with it,
 * and the profile's own test passes; else `not_client_token`.
 */
export function identifyClient(claims: JwtClaims, settings: ClientIdentification): string {
  const { rules } = settings;
  for (const [name, value] of Object.entries(rules.accessTokenClaims)) {
    if (has(claims, name) && claims[name] !== value) {
      throw new BearerTokenException(name === 'token_use' ? 'bad_token_type' : 'not_client_token');
    }
  }
  const clientId = readClientId(claims, settings.clientIdClaims, rules.clientIdSuffix);
  if (!settings.clientCredentialsOnly) return clientId;
  for (const name of rules.sameClientClaims) {
    if (has(claims, name) && claims[name] !== clientId) {
      throw new BearerTokenException('not_client_token');
    }
  }
  if (rules.issuedToClient && !rules.issuedToClient(claims, clientId)) {
    throw new BearerTokenException('not_client_token');
  }
  return clientId;
}

function readClientId(
  claims: JwtClaims,
  names: readonly string[],
  suffix: string | undefined,
): string {
  for (const name of names) {
    if (!has(claims, name)) continue;
    const value = claims[name];
    if (typeof value !== 'string' || value.trim() === '') break;
    if (suffix === undefined || !value.endsWith(suffix)) return value;
    // Only the provider's own suffix, once: `@clients` alone names no client.
    if (value.length > suffix.length) return value.slice(0, -suffix.length);
    break;
  }
  throw new BearerTokenException('bad_claim');
}

function has(claims: JwtClaims, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(claims, name);
}
