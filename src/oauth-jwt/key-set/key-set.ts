import { JwksClient } from 'jwks-rsa';
import { BearerTokenException } from '../errors/bearer-token.exception';
import type { ResolvedOAuthJwtOptions, SupportedAlgorithm } from '../oauth-jwt-options.interface';
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
  readonly lastFailure: string | undefined;
}

type Clock = () => number;

/**
 * The issuer's verification keys: fetched through jwks-rsa (with our bounded fetcher), parsed
 * once, kept for `cacheMaxAgeSeconds`, refreshed in the background after that, served stale for
 * `staleMaxAgeSeconds` while the endpoint fails, and refetched for an unknown `kid` at most once
 * per `cooldownSeconds`. Concurrent callers share one fetch.
 */
export class KeySet {
  private keys: readonly SigningKey[] = [];
  private keyObjects = new Set<SigningKey>();
  private fetchedAt: number | undefined;
  private failedAt: number | undefined;
  private lastFailure: string | undefined;
  private lastUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private client: JwksClient | undefined;
  private fetchCount = 0;

  private readonly limits: FetchJsonLimits;
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
  async getSigningKey(kid: string | undefined, alg: SupportedAlgorithm): Promise<SigningKey> {
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

  /** Fetches the keys now (start-up warm-up); rejects if none could be had. */
  async warmUp(): Promise<void> {
    await this.refresh();
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

  /** One fetch at a time; every caller shares it. Within the failure backoff, fails without fetching. */
  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.failedAt !== undefined && this.now() - this.failedAt < this.failureBackoffMs) {
      return Promise.reject(new KeySetFetchError('network', 'backoff'));
    }
    this.inFlight = this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.fetchCount += 1;
    try {
      const client = await this.jwksClient();
      const jwks = await client.getKeys();
      const fetched = Array.isArray(jwks)
        ? jwks.flatMap((jwk: unknown) => importSigningKey(jwk, this.options.algorithms) ?? [])
        : [];
      if (fetched.length === 0) throw new KeySetFetchError('no_usable_keys', 'jwks');
      // Keep the SigningKey of an unchanged JWK: tokens cached with it must survive a refetch.
      const keys = fetched.map((key) => this.keys.find((known) => sameKey(known, key)) ?? key);
      this.keys = Object.freeze(keys);
      this.keyObjects = new Set(keys);
      this.fetchedAt = this.now();
      this.failedAt = undefined;
      this.lastFailure = undefined;
    } catch (error) {
      this.failedAt = this.now();
      this.lastFailure = error instanceof KeySetFetchError ? error.failure : 'invalid_jwks';
      throw error;
    }
  }

  private async jwksClient(): Promise<JwksClient> {
    if (this.client) return this.client;
    const jwksUri =
      this.options.jwksUri ?? (await discoverJwksUri(this.options.issuer, this.limits));
    this.client = new JwksClient({
      jwksUri,
      // Caching, rate limiting and key conversion are ours; jwks-rsa fetches through our limits.
      cache: false,
      rateLimit: false,
      fetcher: (uri: string) => fetchJson(uri, this.limits) as Promise<{ keys: never[] }>,
    });
    return this.client;
  }

  private unavailable(): BearerTokenException {
    const waitMs =
      this.failedAt === undefined ? 0 : this.failureBackoffMs - (this.now() - this.failedAt);
    return new BearerTokenException('key_set_unavailable', {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    });
  }
}

function sameKey(a: SigningKey, b: SigningKey): boolean {
  return a.kid === b.kid && a.alg === b.alg && a.key.equals(b.key);
}
