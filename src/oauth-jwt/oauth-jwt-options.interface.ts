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

/** HMAC algorithms, for an issuer configured with a shared `secret` (and only then). */
export const SHARED_SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type SharedSecretAlgorithm = (typeof SHARED_SECRET_ALGORITHMS)[number];
/** Every algorithm a token may name: asymmetric (JWKS issuers) or HMAC (secret issuers). */
export type TokenAlgorithm = SupportedAlgorithm | SharedSecretAlgorithm;

/** The authorization servers whose client-credentials tokens a profile knows (see README). */
export const PROVIDER_PROFILES = [
  'generic',
  'auth0',
  'okta',
  'entra',
  'keycloak',
  'cognito',
] as const;
export type ProviderProfile = (typeof PROVIDER_PROFILES)[number];

/**
 * Where the audience is read: `aud` (RFC 7519 §4.1.3), or the prefix of each scope
 * (`<audience>/<scope>`, Amazon Cognito resource servers, whose access tokens have no `aud`).
 */
export type AudienceRule = 'aud' | 'scope-prefix';

/** One trusted authorization server, in `issuers`. */
export interface TrustedIssuerOptions {
  /** Its issuer identifier; the token's `iss` must equal it exactly. */
  issuer: string;
  /** This API's identifier(s) at that issuer; the token's audience must contain one. */
  audience: string | string[];
  /** Its JWKS URL. @default discovered (from the issuer's metadata) */
  jwksUri?: string;
  /**
   * A shared secret (HS256/384/512) instead of a JWKS, at least 32 bytes; never with `jwksUri`.
   * @default none (keys from the JWKS)
   */
  secret?: string | Buffer;
  /** Allowed signature algorithms. @default ['RS256'], or ['HS256'] with a secret */
  algorithms?: TokenAlgorithm[];
  /** The provider profile of its tokens. @default the module's `profile` */
  profile?: ProviderProfile;
  /** The claim(s) the client id is read from, first present wins. @default the profile's */
  clientIdClaim?: string | string[];
  /** Claims that carry scopes, merged. @default the profile's */
  scopeClaims?: string[];
  /** Where the audience is read. @default the profile's */
  audienceRule?: AudienceRule;
}

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
  /**
   * The authorization server's issuer identifier; the token's `iss` must equal it exactly.
   * Required unless `issuers` is given.
   */
  issuer?: string;
  /** This API's identifier(s); the token's `aud` must contain one of them. Never empty. */
  audience?: string | string[];
  /** The JWKS URL. @default discovered (from the issuer's metadata) */
  jwksUri?: string;
  /** Allowed signature algorithms (asymmetric, or HMAC with `secret`). @default ['RS256'] */
  algorithms?: TokenAlgorithm[];
  /** A shared secret of at least 32 bytes (HS256/384/512) instead of a JWKS. @default none */
  secret?: string | Buffer;
  /** Several trusted issuers, each with its own audience, keys, profile, algorithms. @default none */
  issuers?: TrustedIssuerOptions[];
  /** The provider profile: where the client id, scopes and audience come from. @default 'generic' */
  profile?: ProviderProfile;
  /** The claim(s) the client id is read from, first present wins. @default the profile's */
  clientIdClaim?: string | string[];
  /** Where the audience is read: `aud`, or the prefix of each scope. @default the profile's */
  audienceRule?: AudienceRule;
  /**
   * Admit client-credentials tokens only: a token whose `client_id` / `azp` (and the profile's
   * like claims) names another party than the client id is refused. @default true
   */
  clientCredentialsOnly?: boolean;
  /** RFC 9068 strictly: `typ` must be `at+jwt`; `client_id`, `iat` and `jti` are required. @default false */
  requireRfc9068?: boolean;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. @default 5 */
  clockToleranceSeconds?: number;
  /** Refuse tokens whose `iat` is older than this many seconds. @default none (no limit) */
  maxTokenAgeSeconds?: number;
  /** The `realm` of `WWW-Authenticate` challenges. @default 'api' */
  realm?: string;
  /** Claims that carry scopes, read in this order and merged. @default the profile's */
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

/** One trusted issuer after defaults and validation. */
export interface ResolvedIssuer {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string | undefined;
  /** The HMAC key, when the issuer shares a secret (then `jwksUri` is undefined). */
  readonly secret: Buffer | undefined;
  readonly algorithms: readonly TokenAlgorithm[];
  readonly profile: ProviderProfile;
  readonly clientIdClaims: readonly string[];
  readonly scopeClaims: readonly string[];
  readonly audienceRule: AudienceRule;
}

/** Options after defaults and validation: what the module's providers read. */
export interface ResolvedOAuthJwtOptions {
  /** Every trusted issuer; the first one's settings are also the top-level ones below. */
  readonly issuers: readonly ResolvedIssuer[];
  readonly clientCredentialsOnly: boolean;
  readonly requireRfc9068: boolean;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string | undefined;
  readonly algorithms: readonly TokenAlgorithm[];
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
