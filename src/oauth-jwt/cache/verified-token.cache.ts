import { Inject, Injectable, Optional } from '@nestjs/common';
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { KeySet } from '../key-set/key-set';
import type { KeySource } from '../key-set/key-source.interface';
import type { SigningKey } from '../key-set/signing-key';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';

interface CachedToken {
  readonly principal: OAuthPrincipal;
  readonly signingKey: SigningKey;
  /** The key source of the issuer that verified it: the key must still be in it. */
  readonly keys: KeySource;
  /** Seconds since the epoch after which the token is no longer accepted (exp, max age, tolerance). */
  readonly validUntil: number;
  /** Approximate bytes held (see entrySize). */
  readonly size: number;
}

/** Per-entry overhead beyond token and claims: key hash, principal, LRU bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * An entry's size for `maxBytes`: the token's length plus its claims serialized, both counted
 * twice (a parsed claim set takes more memory than its JSON text, and strings may be two-byte),
 * plus the fixed overhead. Serializing once per verified token is cheap beside the signature check.
 */
function entrySize(token: string, principal: OAuthPrincipal): number {
  return 2 * (token.length + JSON.stringify(principal.claims).length) + ENTRY_OVERHEAD_BYTES;
}

/**
 * Verified tokens, so a partner reusing its token pays the signature check once. Keyed by a hash
 * of the validation settings and the whole token (a token verified under one configuration never
 * passes another); never outlives `exp` or the max token age; re-checks time on every hit; drops a
 * token whose key has left the key set; bounded (LRU). Failures are never cached.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, CachedToken> | undefined;
  private readonly maxTtlSeconds: number;
  private readonly keyPrefix: string;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    /** The key source set() uses when given none (one issuer, as in unit tests). */
    @Optional() private readonly keySet?: KeySet,
  ) {
    const { enabled, maxEntries, maxBytes, maxTtlSeconds } = options.tokenCache;
    this.maxTtlSeconds = maxTtlSeconds;
    this.keyPrefix = `${options.validationFingerprint}\0`;
    this.entries = enabled
      ? new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (entry) => entry.size })
      : undefined;
  }

  get(token: string): OAuthPrincipal | undefined {
    if (!this.entries) return undefined;
    const key = this.keyOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() / 1000 >= entry.validUntil || !entry.keys.has(entry.signingKey)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(
    token: string,
    principal: OAuthPrincipal,
    signingKey: SigningKey,
    keys: KeySource | undefined = this.keySet,
  ): void {
    if (!this.entries || !keys) return;
    const { clockToleranceSeconds, maxTokenAgeSeconds } = this.options;
    const iat = principal.claims['iat'];
    const limits = [principal.expiresAt + clockToleranceSeconds];
    if (maxTokenAgeSeconds !== undefined && typeof iat === 'number') {
      limits.push(iat + maxTokenAgeSeconds + clockToleranceSeconds);
    }
    const validUntil = Math.min(...limits);
    const ttlSeconds = Math.min(validUntil - Date.now() / 1000, this.maxTtlSeconds);
    if (ttlSeconds <= 0) return;
    this.entries.set(
      this.keyOf(token),
      { principal, signingKey, keys, validUntil, size: entrySize(token, principal) },
      { ttl: Math.max(1, Math.floor(ttlSeconds * 1000)) },
    );
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Approximate bytes held by all entries; never above `tokenCache.maxBytes`. */
  get calculatedSize(): number {
    return this.entries?.calculatedSize ?? 0;
  }

  /**
   * SHA-256 of the validation fingerprint and the whole token, in one call (no Hash object): the
   * cache never holds a replayable bearer token, and a token verified under one configuration
   * never matches under another.
   */
  private keyOf(token: string): string {
    return hash('sha256', this.keyPrefix + token, 'base64');
  }
}
