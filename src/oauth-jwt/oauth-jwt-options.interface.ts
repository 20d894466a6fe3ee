import type { ClientResolveFn, ClientResolver } from './client-resolver.interface';
import type { AuthEvent, AuthEventEmitter } from './events/auth-event.interface';

/** Signature algorithms the module can verify (asymmetric only; jsonwebtoken has no EdDSA). */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export type SupportedAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** Key-set (JWKS) tuning. */
export interface KeySetOptions {
  /** How long fetched keys are used before the JWKS is fetched again. @default 600 */
  cacheMaxAgeSeconds?: number;
  /** At most one refetch for an unknown `kid` per this window. @default 30 */
  cooldownSeconds?: number;
  /** How long the last good keys keep serving while the JWKS endpoint fails. @default 3600 */
  staleMaxAgeSeconds?: number;
  /** Total time one JWKS or discovery fetch may take. @default 5000 */
  timeoutMs?: number;
  /** Largest JWKS or discovery document accepted. @default 524288 (512 KiB) */
  maxResponseBytes?: number;
  /** Fetch the keys while the application starts, so no partner request pays for it. @default false */
  warmUp?: boolean;
}

/** Verified-token cache tuning. */
export interface TokenCacheOptions {
  /** Switch the cache off (every request verifies the signature). @default true */
  enabled?: boolean;
  /** Most tokens kept. @default 10000 */
  maxEntries?: number;
  /** Longest a verified token is kept, whatever its `exp`. @default 300 */
  maxTtlSeconds?: number;
  /** Approximate memory bound of the cache (tokens and their claims). @default 33554432 (32 MiB) */
  maxBytes?: number;
}

/** What a cached partner verdict is keyed by. */
export type ClientCacheKey = 'claims' | 'clientId';

/** Partner-resolution cache tuning. */
export interface ClientCacheOptions {
  /**
   * How long a partner verdict is kept: the bound on how late a suspension or a revoked scope takes
   * effect (`PartnerCache.evict` ends it at once); 0 switches the cache off. @default 5
   */
  ttlSeconds?: number;
  /** Most partners kept. @default 1000 */
  maxEntries?: number;
  /**
   * What a cached verdict may serve. `'claims'`: only requests whose resolver input (client id and
   * every claim) is the same, so a resolver that reads a claim (a tenant, a tier) is never bypassed.
   * `'clientId'`: every token of the client; declare it only when your resolver reads the client id
   * alone. @default 'claims'
   */
  keyBy?: ClientCacheKey;
}

/** Options of OAuthJwtModule.forRoot / forRootAsync. */
export interface OAuthJwtModuleOptions {
  /** The authorization server's issuer identifier; the token's `iss` must equal it exactly. */
  issuer: string;
  /** This API's identifier(s); the token's `aud` must contain one of them. Never empty. */
  audience: string | string[];
  /** The JWKS URL. @default discovered (from the issuer's metadata) */
  jwksUri?: string;
  /** Allowed signature algorithms (asymmetric only). @default ['RS256'] */
  algorithms?: SupportedAlgorithm[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. @default 5 */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this many seconds. @default none (no limit) */
  maxTokenAgeSeconds?: number;
  /** The `realm` of `WWW-Authenticate` challenges. @default 'api' */
  realm?: string;
  /** Claims that carry scopes, read in this order and merged. @default ['scope', 'scp', 'permissions'] */
  scopeClaims?: string[];
  /**
   * Accepted JOSE `typ` header values, compared as media types (case-insensitive, `application/`
   * optional); a token without `typ` is accepted. @default ['at+jwt', 'JWT']
   */
  tokenTypes?: string[];
  /**
   * Resolves the partner behind `sub` for `@Client()`: only a partner object admits; `undefined`,
   * `null` or `false` → 403 `unknown_partner`. @default none (every valid token is admitted)
   */
  clientResolver?: ClientResolver | ClientResolveFn;
  /** Longest the resolver may take; past it, or when it throws, 503 `partner_unavailable`. @default 5000 */
  clientResolverTimeoutMs?: number;
  /** Key-set (JWKS) tuning. */
  keySet?: KeySetOptions;
  /** Verified-token cache tuning. */
  tokenCache?: TokenCacheOptions;
  /** Partner-resolution cache tuning. */
  clientCache?: ClientCacheOptions;
  /** Called with every success and refusal event. @default none */
  onAuthEvent?: (event: AuthEvent) => void;
  /** Receives `oauth-jwt.authenticated` / `oauth-jwt.refused` events (e.g. EventEmitter2). @default none */
  eventEmitter?: AuthEventEmitter;
  /** Log each refusal through Nest's Logger (debug for routine ones, warn otherwise). @default true */
  logRefusals?: boolean;
}

/** Options after defaults and validation: what the module's providers read. */
export interface ResolvedOAuthJwtOptions {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string | undefined;
  readonly algorithms: readonly SupportedAlgorithm[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds: number | undefined;
  readonly realm: string;
  readonly scopeClaims: readonly string[];
  readonly tokenTypes: readonly string[];
  readonly clientResolver: ClientResolveFn | undefined;
  readonly clientResolverTimeoutMs: number;
  readonly keySet: Readonly<Required<KeySetOptions>>;
  readonly tokenCache: Readonly<Required<TokenCacheOptions>>;
  readonly clientCache: Readonly<Required<ClientCacheOptions>>;
  readonly onAuthEvent: ((event: AuthEvent) => void) | undefined;
  readonly eventEmitter: AuthEventEmitter | undefined;
  readonly logRefusals: boolean;
  /** Digest of every setting that decides whether a token is valid (keys the token cache). */
  readonly validationFingerprint: string;
}
