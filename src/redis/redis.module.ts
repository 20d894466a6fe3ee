import { Module, type DynamicModule } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { globalConnectionModule } from '../connection/global-connection.module';
import { createRedisClient } from './create-redis-client';
import { REDIS_CLIENT } from './redis.constants';
import { RedisHealthIndicator } from './redis.health';

/** The shared Redis of every instance (REDIS_URL), or null clients without it. */
@Module({})
export class RedisModule {
  static register(url: string | undefined): DynamicModule {
    return globalConnectionModule<Redis | null>({
      module: RedisModule,
      token: REDIS_CLIENT,
      open: () => (url ? createRedisClient(url, 'client') : null),
      close: closeRedis,
      providers: [HealthIndicatorService, RedisHealthIndicator],
      exports: [RedisHealthIndicator],
    });
  }
}

/** QUIT lets pending replies arrive; with Redis down it fails at once, then the socket is dropped. */
async function closeRedis(redis: Redis | null): Promise<void> {
  if (!redis || redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
