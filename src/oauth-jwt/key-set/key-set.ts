import { JwksClient } from 'jwks-rsa';
import { BearerTokenException } from '../errors/bearer-token.exception';
import {
  SUPPORTED_ALGORITHMS,
  type ResolvedOAuthJwtOptions,
  type SupportedAlgorithm,
  type TokenAlgorithm,
} from '../oauth-jwt-options.interface';
import type { KeySource } from './key-source.interface';
import { discoverJwksUri } from './discover-jwks-uri';
import { fetchJson, KeySetFetchError, type FetchJsonLimits } from './fetch-json';
import { importSigningKey, keyFitsAlgorithm, type SigningKey } from './signing-key';

/** What the key set can tell a health check. */
export interface KeySetStatus {
  /** fresh: within cache age; stale: serving the last good keys past it; unavailable: no usable key. */
  readonly state: 'fresh' | 'stale' | 'unavailable';
  readonly keyCount: number;
  /** Milliseconds since the last successful fetch, if any. */
  readonly ageMs: number | undefined;
  /** How many fetches of the JWKS were started (successful or not). */
  readonly fetchCount: number;
  /** The last fetch's FetchFailure (or invalid_jwks); no_usable_keys when the JWKS held none for us. */
  readonly lastFailure: string | undefined;
}

type Clock = () => number;

/**
 * The issuer's verification keys: fetched through jwks-rsa (with our bounded fetcher), parsed
 * once, kept for `cacheMaxAgeSeconds`, refreshed in the background after that, and refetched for
 * an unknown `kid` at most once per `cooldownSeconds`. Concurrent callers share one fetch.
 *
 * A JWKS fetched successfully is authoritative, even when it holds no key we may use: the keys it
 * no longer lists stop verifying at once. The last good keys are served stale, for
 * `staleMaxAgeSeconds`, only while the endpoint fails (network, timeout, HTTP status, a body that
 * is not a JWKS): an outage, not a decision of the issuer.
 */
export class KeySet implements KeySource {
  private keys: readonly SigningKey[] = [];
  private keyObjects = new Set<SigningKey>();
  private fetchedAt: number | undefined;
  /** The last fetch, when it failed: when, and with what (for the backoff and warm-up). */
  private failure: { readonly at: number; readonly error: Error } | undefined;
  private lastFailure: string | undefined;
  private lastUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private client: { readonly jwks: JwksClient; readonly uri: string } | undefined;
  private fetchCount = 0;

  private readonly limits: FetchJsonLimits;
  /** The asymmetric algorithms allowed: a JWKS never yields an HMAC key. */
  private readonly algorithms: readonly SupportedAlgorithm[];
  private readonly maxAgeMs: number;
  private readonly staleMs: number;
  private readonly cooldownMs: number;
  /** After a failed fetch, callers get the failure without a new fetch for this long. */
  private readonly failureBackoffMs: number;

  constructor(
    private readonly options: Pick<
      ResolvedOAuthJwtOptions,
      'issuer' | 'jwksUri' | 'algorithms' | 'keySet'
    >,
    private readonly now: Clock = Date.now,
  ) {
    const { keySet } = options;
    this.algorithms = options.algorithms.filter(isAsymmetric);
    this.limits = { timeoutMs: keySet.timeoutMs, maxResponseBytes: keySet.maxResponseBytes };
    this.maxAgeMs = keySet.cacheMaxAgeSeconds * 1000;
    this.staleMs = keySet.staleMaxAgeSeconds * 1000;
    this.cooldownMs = keySet.cooldownSeconds * 1000;
    this.failureBackoffMs = Math.min(this.cooldownMs, 5_000);
  }

  /**
   * The key that verifies a token with this header, or a BearerTokenException:
   * `unknown_kid` (401) or `key_set_unavailable` (503, with Retry-After).
   */
  async getSigningKey(kid: string | undefined, alg: TokenAlgorithm): Promise<SigningKey> {
    if (!isAsymmetric(alg)) throw new BearerTokenException('unsupported_algorithm');
    await this.ensureUsable();
    const known = this.find(kid, alg);
    if (known) return known;
    if (this.mayRefetchForUnknownKid()) {
      this.lastUnknownKidRefetchAt = this.now();
      await this.refresh().catch(() => undefined);
      const fetched = this.find(kid, alg);
      if (fetched) return fetched;
    } else if (this.inFlight) {
      await this.inFlight.catch(() => undefined);
      const fetched = this.find(kid, alg);
      if (fetched) return fetched;
    }
    throw new BearerTokenException('unknown_kid');
  }

  /**
   * Whether a key handed out earlier may still vouch for a cached token: it is in the current set,
   * and the set is within its stale window. Past the cache age this starts the background refresh,
   * so a key removed from the JWKS stops vouching even while only cached tokens arrive.
   */
  has(signingKey: SigningKey): boolean {
    if (!this.keyObjects.has(signingKey) || this.fetchedAt === undefined) return false;
    const age = this.now() - this.fetchedAt;
    if (age <= this.maxAgeMs) return true;
    if (age > this.maxAgeMs + this.staleMs) return false;
    this.refresh().catch(() => undefined);
    return true;
  }

  /**
   * Fetches the keys now (start-up warm-up, health); rejects with a KeySetFetchError saying why
   * when no usable key could be had.
   */
  async warmUp(): Promise<void> {
    await this.refresh();
    if (this.keys.length === 0) {
      throw new KeySetFetchError('no_usable_keys', this.client?.uri ?? this.options.issuer);
    }
  }

  status(): KeySetStatus {
    const ageMs = this.fetchedAt === undefined ? undefined : this.now() - this.fetchedAt;
    let state: KeySetStatus['state'] = 'unavailable';
    if (ageMs !== undefined && this.keys.length > 0) {
      if (ageMs <= this.maxAgeMs) state = 'fresh';
      else if (ageMs <= this.maxAgeMs + this.staleMs) state = 'stale';
    }
    return {
      state,
      keyCount: this.keys.length,
      ageMs,
      fetchCount: this.fetchCount,
      lastFailure: this.lastFailure,
    };
  }

  /** Makes sure the keys are usable: fetched, or within their stale window (refreshing in the background). */
  private async ensureUsable(): Promise<void> {
    const age =
      this.fetchedAt === undefined ? Number.POSITIVE_INFINITY : this.now() - this.fetchedAt;
    if (age <= this.maxAgeMs) return;
    if (age <= this.maxAgeMs + this.staleMs) {
      // Serve what we have; the refresh runs beside the request, off its path.
      this.refresh().catch(() => undefined);
      return;
    }
    try {
      await this.refresh();
    } catch {
      throw this.unavailable();
    }
  }

  private mayRefetchForUnknownKid(): boolean {
    return (
      this.inFlight === undefined && this.now() - this.lastUnknownKidRefetchAt >= this.cooldownMs
    );
  }

  private find(kid: string | undefined, alg: SupportedAlgorithm): SigningKey | undefined {
    if (kid !== undefined) {
      return this.keys.find((key) => key.kid === kid && keyFitsAlgorithm(key, alg));
    }
    // A token without `kid` is accepted only when exactly one key could have signed it.
    const candidates = this.keys.filter((key) => keyFitsAlgorithm(key, alg));
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /**
   * One fetch at a time; every caller shares it. Within the failure backoff, fails with the last
   * failure without fetching. Resolves after any successful fetch, even of a JWKS with no usable key.
   */
  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.failure && this.now() - this.failure.at < this.failureBackoffMs) {
      return Promise.reject(this.failure.error);
    }
    this.inFlight = this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.fetchCount += 1;
    let jwks: unknown[];
    try {
      const client = await this.jwksClient();
      jwks = (await client.jwks.getKeys()) as unknown[];
    } catch (error) {
      // An outage: the last good keys stay, within their stale window.
      this.lastFailure = error instanceof KeySetFetchError ? error.failure : 'invalid_jwks';
      this.failure = {
        at: this.now(),
        error: error instanceof Error ? error : new Error('The key set fetch failed'),
      };
      throw error;
    }
    const fetched = jwks.flatMap((jwk) => importSigningKey(jwk, this.algorithms) ?? []);
    // Keep the SigningKey of an unchanged JWK: tokens cached with it must survive a refetch.
    const keys = fetched.map((key) => this.keys.find((known) => sameKey(known, key)) ?? key);
    this.keys = Object.freeze(keys);
    this.keyObjects = new Set(keys);
    this.fetchedAt = this.now();
    this.failure = undefined;
    // The issuer's answer, not an outage: no key of the old set keeps verifying.
    this.lastFailure = keys.length === 0 ? 'no_usable_keys' : undefined;
  }

  private async jwksClient(): Promise<{ readonly jwks: JwksClient; readonly uri: string }> {
    if (this.client) return this.client;
    const uri = this.options.jwksUri ?? (await discoverJwksUri(this.options.issuer, this.limits));
    const jwks = new JwksClient({
      jwksUri: uri,
      // Caching, rate limiting and key conversion are ours; jwks-rsa fetches through our limits.
      cache: false,
      rateLimit: false,
      fetcher: async (url: string) => asJwks(await fetchJson(url, this.limits), url),
    });
    this.client = { jwks, uri };
    return this.client;
  }

  private unavailable(): BearerTokenException {
    const waitMs =
      this.failure === undefined ? 0 : this.failureBackoffMs - (this.now() - this.failure.at);
    return new BearerTokenException('key_set_unavailable', {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    });
  }
}

/** RFC 7517 §5: a JWK Set is a JSON object whose `keys` member is an array. */
function asJwks(document: unknown, url: string): { keys: never[] } {
  const keys: unknown =
    typeof document === 'object' && document !== null
      ? (document as { keys?: unknown }).keys
      : undefined;
  if (!Array.isArray(keys)) throw new KeySetFetchError('not_jwks', url);
  return { keys: keys as never[] };
}

function isAsymmetric(alg: TokenAlgorithm): alg is SupportedAlgorithm {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(alg);
}

function sameKey(a: SigningKey, b: SigningKey): boolean {
  return a.kid === b.kid && a.alg === b.alg && a.key.equals(b.key);
}
