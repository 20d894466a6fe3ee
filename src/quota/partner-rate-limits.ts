import { Inject, Injectable } from '@nestjs/common';
import { getClient } from '../oauth-jwt';
import type { QuotaConfig } from '../config/scale-config';
import { QUOTA_CONFIG } from './quota.constants';

/** A partner may carry its own limit; any other value means the default (PARTNER_RATE_LIMIT). */
interface WithRateLimit {
  readonly rateLimitPerMinute?: unknown;
}

/**
 * Each partner's requests per minute: the `rateLimitPerMinute` (a positive integer) of the very
 * partner JwtAuthGuard admitted this request with (getClient), or PARTNER_RATE_LIMIT (0: this
 * partner is unlimited; its own limit, when it has one, applies whatever the default). Nothing is
 * resolved again: a changed limit applies as soon as the library's partner cache has let the old
 * entry go (the change feed, about a second; its TTL, 5 s).
 */
@Injectable()
export class PartnerRateLimits {
  constructor(@Inject(QUOTA_CONFIG) private readonly config: QuotaConfig) {}

  limitOf(request: object): number {
    const partner = getClient(request) as WithRateLimit | undefined;
    const own = partner?.rateLimitPerMinute;
    return typeof own === 'number' && Number.isSafeInteger(own) && own > 0
      ? own
      : this.config.partnerRateLimit;
  }
}
