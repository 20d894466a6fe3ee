import type { DynamicModule } from '@nestjs/common';
import type { ScaleConfig } from './config/scale-config';
import { LoggingModule } from './logging/logging.module';
import { QuotaModule } from './quota/quota.module';
import { RedisModule } from './redis/redis.module';

/** What running several instances adds to the app: Redis, quotas, structured request logs. */
export function scaleModules(scale: ScaleConfig): DynamicModule[] {
  const { quota, redisUrl, logging } = scale;
  return [
    RedisModule.register(redisUrl),
    // First among the middlewares: a request refused by the quota middleware is logged too.
    ...(logging ? [LoggingModule.register(logging)] : []),
    // Even with both limits 0: a partner's own rateLimitPerMinute still applies.
    ...(quota ? [QuotaModule.register(quota)] : []),
  ];
}
