import { mergeDefined, type JsonObject } from '../../../src/oauth-jwt/testing/jws';
import { AUDIENCE, ISSUER, KID } from './constants';

/*
 * The valid token of the security apps, which every case changes in exactly one way, so a refusal
 * can only come from that change. The test kit signs it.
 */

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A complete, valid RFC 9068 access-token payload for partner-a (iss, aud, exp, sub, iat, jti,
 * client_id and a scope), with `overrides` applied; an override of `undefined` removes the claim.
 * `client_id` follows an overridden string `sub`: a client-credentials token names its client in
 * both (RFC 9068 §2.2), so a test changing `sub` changes the client, not the grant type.
 */
export function claims(overrides: JsonObject = {}, now = nowSeconds()): JsonObject {
  return mergeDefined(
    {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'partner-a',
      client_id: typeof overrides['sub'] === 'string' ? overrides['sub'] : 'partner-a',
      iat: now,
      exp: now + 300,
      jti: `jti-${now}-${Math.random().toString(36).slice(2)}`,
      scope: 'list:users read:users',
    },
    overrides,
  );
}

/** The header the issuer uses (RS256, its kid, `typ: at+jwt`), with `overrides` applied. */
export function header(overrides: JsonObject = {}): JsonObject {
  return mergeDefined({ alg: 'RS256', typ: 'at+jwt', kid: KID.rsa }, overrides);
}
