import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';

/**
 * Resolves the partner behind a principal through the app's resolver, with a short bounded cache
 * keyed by client id (unknown partners are not cached, so a newly registered one works at once).
 */
@Injectable()
export class ClientResolutionService {
  private readonly cache: LRUCache<string, { client: unknown }> | undefined;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
  ) {
    const { ttlSeconds, maxEntries } = options.clientCache;
    this.cache =
      options.clientResolver && ttlSeconds > 0
        ? new LRUCache({ max: maxEntries, ttl: ttlSeconds * 1000 })
        : undefined;
  }

  /**
   * The partner, undefined when no resolver is configured; 403 `unknown_partner` when not found.
   * Answers synchronously when it can (no resolver, a cached partner, a synchronous resolver), so
   * a warm request takes no extra trip through the microtask queue.
   */
  resolve(principal: OAuthPrincipal): unknown {
    const resolver = this.options.clientResolver;
    if (!resolver) return undefined;
    const cached = this.cache?.get(principal.clientId);
    if (cached) return cached.client;
    const client = resolver(principal.clientId, principal.claims);
    return isPromiseLike(client)
      ? Promise.resolve(client).then((resolved) => this.admit(principal, resolved))
      : this.admit(principal, client);
  }

  private admit(principal: OAuthPrincipal, client: unknown): unknown {
    if (client === undefined || client === null) throw new BearerTokenException('unknown_partner');
    this.cache?.set(principal.clientId, { client });
    return client;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
