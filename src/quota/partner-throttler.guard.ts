import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { OAuthPrincipal } from '../oauth-jwt';
import { KnownCredentials } from './known-credentials';
import { PartnerRateLimits } from './partner-rate-limits';
import { PARTNER_POLICY } from './quota.constants';
import { logQuotaRefusal, printable, routeOf, type RoutedRequest } from './quota-refusal';
import { rateLimitField, rateLimitPolicyField } from './rate-limit-headers';

type QuotaRequest = RoutedRequest & {
  user?: OAuthPrincipal;
  headers?: Record<string, unknown>;
};

/**
 * Each partner's request quota, keyed by the authenticated client id (never by IP), over every
 * route together. A global guard registered after OAuthJwtModule's, so it runs after them:
 * requests it sees are authenticated and admitted, and public routes (no principal) are skipped.
 * Every answer carries `RateLimit-Policy` and `RateLimit`; over the quota it is 429 with
 * `Retry-After` and a structured refusal line (reason `rate_limited`).
 */
@Injectable()
export class PartnerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly credentials: KnownCredentials,
    private readonly limits: PartnerRateLimits,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.getArgByIndex<QuotaRequest>(0);
    if (!request.user) return Promise.resolve(true);
    // Authenticated and admitted: this credential may pass the failed-authentication limit.
    this.credentials.remember(request.headers?.['authorization']);
    // Limit 0: no own limit and PARTNER_RATE_LIMIT=0, this partner is unlimited.
    return Promise.resolve(this.limits.limitOf(request) <= 0);
  }

  protected override getTracker(request: QuotaRequest): Promise<string> {
    // shouldSkip let only requests with a principal through.
    return Promise.resolve((request.user as OAuthPrincipal).clientId);
  }

  /** One counter per partner for the whole API (not per route, as the library's default key is). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `quota:${name}:${tracker}`;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const { req, res } = this.getRequestResponse(context);
    const name = throttler.name ?? PARTNER_POLICY;
    const tracker = await getTracker(req, context);
    const record = await this.storageService.increment(
      generateKey(context, tracker, name),
      ttl,
      limit,
      blockDuration,
      name,
    );
    this.setResponseHeader(res, 'RateLimit-Policy', rateLimitPolicyField(name, limit, ttl / 1000));
    if (record.isBlocked) {
      const retryAfterSeconds = Math.max(1, record.timeToBlockExpire);
      this.setResponseHeader(res, 'RateLimit', rateLimitField(name, 0, retryAfterSeconds));
      this.setResponseHeader(res, 'Retry-After', retryAfterSeconds);
      logQuotaRefusal({
        policy: name,
        clientId: printable(tracker),
        route: routeOf(req as QuotaRequest),
        retryAfterSeconds,
      });
      throw new ThrottlerException('Too Many Requests: the partner request quota is used up');
    }
    const remaining = Math.max(0, limit - record.totalHits);
    this.setResponseHeader(res, 'RateLimit', rateLimitField(name, remaining, record.timeToExpire));
    return true;
  }
}
