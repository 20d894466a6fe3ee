import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { GlobalConnectionModule } from '../connection/global-connection.module';
import { createRedisClient } from './create-redis-client';
import { REDIS_CLIENT } from './redis.constants';
import { RedisHealthIndicator } from './redis.health';

/** The shared Redis of every instance (REDIS_URL), or null clients without it. */
export class RedisModule extends GlobalConnectionModule<Redis | null, string | undefined>({
  token: REDIS_CLIENT,
  open: (url) => (url ? createRedisClient(url, 'client') : null),
  close: closeRedis,
  providers: [HealthIndicatorService, RedisHealthIndicator],
  exports: [RedisHealthIndicator],
}) {}

/** QUIT lets pending replies arrive; with Redis down it fails at once, then the socket is dropped. */
async function closeRedis(redis: Redis | null): Promise<void> {
  if (!redis || redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
