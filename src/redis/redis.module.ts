import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { createRedisClient } from './create-redis-client';
import { REDIS_CLIENT } from './redis.constants';
import { RedisHealthIndicator } from './redis.health';

/**
 * The shared Redis of every instance (REDIS_URL), or null clients without it. Closed on
 * application shutdown: after the HTTP server has finished its in-flight requests, not before.
 */
@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  static register(url: string | undefined): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: () => (url ? createRedisClient(url, 'client') : null),
        },
        HealthIndicatorService,
        RedisHealthIndicator,
      ],
      exports: [REDIS_CLIENT, RedisHealthIndicator],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
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
