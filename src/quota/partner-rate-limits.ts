import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { ClientResolver, JwtClaims } from '../oauth-jwt';
import { QUOTA_CONFIG, QUOTA_PARTNER_RESOLVER } from './quota.constants';
import type { QuotaConfig } from '../config/scale-config';

/** A partner may carry its own limit; any other value means the default (PARTNER_RATE_LIMIT). */
interface WithRateLimit {
  readonly rateLimitPerMinute?: unknown;
}

/** As long as the library's partner cache: a changed limit applies within the same bound. */
const LIMIT_TTL_MS = 5_000;

/**
 * Each partner's requests per minute: its registry entry's `rateLimitPerMinute` (a positive
 * integer) or PARTNER_RATE_LIMIT. Remembered per client id for 5 s, so the registry is asked at
 * most once per partner and instance in that time.
 */
@Injectable()
export class PartnerRateLimits {
  private readonly limits = new LRUCache<string, number>({ max: 10_000, ttl: LIMIT_TTL_MS });

  constructor(
    @Inject(QUOTA_PARTNER_RESOLVER) private readonly partners: ClientResolver,
    @Inject(QUOTA_CONFIG) private readonly config: QuotaConfig,
  ) {}

  async limitOf(clientId: string, claims: JwtClaims): Promise<number> {
    const known = this.limits.get(clientId);
    if (known !== undefined) return known;
    let limit = this.config.partnerRateLimit;
    try {
      const partner = (await this.partners.resolve(clientId, claims)) as WithRateLimit | undefined;
      const own = partner ? partner.rateLimitPerMinute : undefined;
      if (typeof own === 'number' && Number.isSafeInteger(own) && own > 0) limit = own;
    } catch {
      // The partner step already admitted this request; an unreadable limit falls back to the default.
    }
    this.limits.set(clientId, limit);
    return limit;
  }
}
