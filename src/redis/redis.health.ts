import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { ConnectionHealthIndicator } from '../health/connection-health.indicator';
import { REDIS_CLIENT } from './redis.constants';

/**
 * Readiness of the shared Redis (when REDIS_URL is set): up when it answers PING within the
 * command timeout. The error text stays in the server log (create-redis-client).
 */
@Injectable()
export class RedisHealthIndicator extends ConnectionHealthIndicator<Redis>(
  REDIS_CLIENT,
  'redis',
  (redis) => ({ answers: () => redis.ping(), downMessage: 'Redis does not answer' }),
) {}
