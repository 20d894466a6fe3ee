import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type Redis from 'ioredis';
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

  async isHealthy(key = 'redis'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    if (!this.redis) return session.up({ configured: false });
    try {
      await this.redis.ping();
      return session.up();
    } catch {
      // The error text stays in the server log (create-redis-client); the probe says only this.
      return session.down({ message: 'Redis does not answer' });
    }
  }
}
