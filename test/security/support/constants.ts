import type { Partner } from '../../../src/partners/partner.interface';

/** The issuer and audience every security app is configured with. */
export const ISSUER = 'https://issuer.security.test';
export const AUDIENCE = 'https://api.security.test';

/** The partners file of the security apps. `partner-z` and friends are deliberately absent. */
export const PARTNERS: readonly Partner[] = [
  { clientId: 'partner-a', name: 'Acme Security Test' },
  { clientId: 'partner-b', name: 'Globex Security Test' },
];

/**
 * The key ids the local JWKS serves. `rsa-2048-enc` and `rsa-2048-ps` carry the same key material
 * as `rsa-2048`, so a token they "verify" would pass if `use` or the JWK's `alg` were ignored.
 */
export const KID = {
  rsa: 'rsa-2048',
  rsaEnc: 'rsa-2048-enc',
  rsaPs: 'rsa-2048-ps',
  ec: 'ec-p256',
  weakRsa: 'rsa-1024-weak',
  lowExponentRsa: 'rsa-2048-e3',
  attackerRsa: 'attacker-rsa',
  attackerEc: 'attacker-ec',
} as const;

/** The route every catalogue case calls: it needs a known partner and `list:users`. */
export const LIST_USERS = '/users';

/** Every wait in the security suites is bounded by this (per HTTP exchange). */
export const REQUEST_TIMEOUT_MS = 5_000;
