import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';

/** One cached verdict: the partner, and the effective principals derived for it. */
export interface PartnerCacheEntry {
  readonly clientId: string;
  readonly partner: object;
  /** Per principal, the principal with the partner's granted scopes applied (computed once). */
  readonly effective: WeakMap<OAuthPrincipal, OAuthPrincipal>;
}

/**
 * The partner verdicts of this instance, for `clientCache.ttlSeconds` at most. Inject it to cut a
 * partner off now: `evict(clientId)` after a suspension or a revoked scope makes the next request
 * ask your resolver again (other instances follow within the TTL, or on your own signal).
 */
@Injectable()
export class PartnerCache {
  private readonly entries: LRUCache<string, PartnerCacheEntry> | undefined;
  /** Bumped by every eviction: a resolver call started before it may not fill the cache after it. */
  private generation = 0;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) options: Pick<ResolvedOAuthJwtOptions, 'clientCache'>,
  ) {
    const { ttlSeconds, maxEntries } = options.clientCache;
    this.entries =
      ttlSeconds > 0 ? new LRUCache({ max: maxEntries, ttl: ttlSeconds * 1000 }) : undefined;
  }

  /** Forgets every verdict about this client on this instance. */
  evict(clientId: string): void {
    this.generation += 1;
    if (!this.entries) return;
    for (const [key, entry] of this.entries.entries()) {
      if (entry.clientId === clientId) this.entries.delete(key);
    }
  }

  /** Forgets every verdict on this instance. */
  evictAll(): void {
    this.generation += 1;
    this.entries?.clear();
  }

  /** @internal */
  get(key: string): PartnerCacheEntry | undefined {
    return this.entries?.get(key);
  }

  /** @internal The generation a resolver call starts in; pass it back to set(). */
  currentGeneration(): number {
    return this.generation;
  }

  /** @internal Stores a verdict unless an eviction happened since the call began. */
  set(key: string, clientId: string, partner: object, generation: number): PartnerCacheEntry {
    const entry: PartnerCacheEntry = { clientId, partner, effective: new WeakMap() };
    if (generation === this.generation) this.entries?.set(key, entry);
    return entry;
  }
}
