import {
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerStorageService,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { QuotaConfig } from '../config/scale-config';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { AuthFailureCounter } from './auth-failure-counter';
import { AuthFailureLimitMiddleware } from './auth-failure-limit.middleware';
import { KnownCredentials } from './known-credentials';
import { PartnerRateLimits } from './partner-rate-limits';
import { PartnerThrottlerGuard } from './partner-throttler.guard';
import { PARTNER_POLICY, QUOTA_CONFIG, QUOTA_WINDOW_SECONDS } from './quota.constants';
import { SharedThrottlerStorage } from './shared-throttler.storage';

/**
 * Per-partner quotas (@nestjs/throttler, counters in Redis when REDIS_URL is set) and the per-IP
 * limit on failed authentications. Import it after OAuthJwtModule: global guards run in the order
 * their modules are imported, and the quota guard needs the authenticated partner.
 */
@Module({})
export class QuotaModule implements NestModule {
  constructor(@Inject(QUOTA_CONFIG) private readonly config: QuotaConfig) {}

  static register(config: QuotaConfig): DynamicModule {
    return {
      module: QuotaModule,
      providers: [
        { provide: QUOTA_CONFIG, useValue: config },
        PartnerRateLimits,
        KnownCredentials,
        AuthFailureCounter,
        {
          provide: getOptionsToken(),
          inject: [PartnerRateLimits],
          useFactory: (limits: PartnerRateLimits): ThrottlerModuleOptions => ({
            throttlers: [
              {
                name: PARTNER_POLICY,
                ttl: QUOTA_WINDOW_SECONDS * 1000,
                // No penalty beyond the window: refused while the window's count is over the limit.
                blockDuration: 0,
                limit: (context) => limits.limitOf(context.getArgByIndex<object>(0)),
              },
            ],
          }),
        },
        {
          provide: getStorageToken(),
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis | null) =>
            new SharedThrottlerStorage(
              new ThrottlerStorageService(),
              redis ? new ThrottlerStorageRedisService(redis) : undefined,
            ),
        },
        PartnerThrottlerGuard,
        { provide: APP_GUARD, useExisting: PartnerThrottlerGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.config.authFailureLimit <= 0) return;
    // Liveness and readiness probes are never limited.
    consumer
      .apply(AuthFailureLimitMiddleware)
      .exclude('health', 'health/{*rest}')
      .forRoutes('{*rest}');
  }
}
