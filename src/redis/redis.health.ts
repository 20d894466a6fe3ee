import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { probeConnection } from '../health/probe-connection';
import { REDIS_CLIENT } from './redis.constants';

/** Readiness of the shared Redis: up when it answers PING within the command timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Whether REDIS_URL is set (readiness reports Redis only then). */
  get configured(): boolean {
    return this.redis !== null;
  }

  isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const { redis } = this;
    // The error text stays in the server log (create-redis-client).
    return probeConnection(
      this.health.check(key),
      redis ? { answers: () => redis.ping(), downMessage: 'Redis does not answer' } : undefined,
    );
  }
}
