import type { JsonObject } from './jws';

/** Options of createTestIssuer(). */
export interface TestIssuerOptions {
  /**
   * The `iss` of the tokens it mints (and the `issuer` in its metadata).
   * @default the URL of its own server, `http://127.0.0.1:<port>`
   */
  issuer?: string;
  /** The default `aud` of its tokens, and the `audience` in moduleOptions(). @default 'https://api.test' */
  audience?: string | string[];
  /** Default lifetime of its tokens, in seconds. @default 300 */
  tokenTtlSeconds?: number;
  /** The `kid` of its signing key. @default a random `test-key-<hex>` */
  keyId?: string;
}

/** What to put in a token minted by TestIssuer.token() (everything else gets a valid default). */
export interface TestTokenOptions {
  /** The `sub` claim (the partner's client id; `client_id` gets the same value). @default 'test-client' */
  sub?: string;
  /** Granted scopes, written space-delimited into the `scope` claim. @default none (no `scope` claim) */
  scopes?: readonly string[];
  /** The `aud` claim. @default the issuer's audience */
  audience?: string | readonly string[];
  /** The `iss` claim. @default the issuer's identifier */
  issuer?: string;
  /** Seconds from now until `exp`. @default the issuer's tokenTtlSeconds */
  expiresIn?: number;
  /** Claims added last, over the defaults; a claim set to `undefined` is removed (`{ exp: undefined }`). */
  claims?: JsonObject;
  /** JOSE header fields over `{ alg: 'RS256', typ: 'at+jwt', kid }`; `undefined` removes one. */
  header?: JsonObject;
}
