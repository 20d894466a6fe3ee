import { Controller, Get, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '../database/database.health';
import { Public } from '../oauth-jwt';
import { OAuthJwtHealthIndicator } from '../oauth-jwt/health';
import { RedisHealthIndicator } from '../redis/redis.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly oauthJwt: OAuthJwtHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    @Optional() private readonly redis?: RedisHealthIndicator,
  ) {}

  /** Liveness: the process answers. Public. */
  @Public()
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness, each part under its own key, 503 when one is down: `oauth-jwt` (the signing keys
   * are usable: fresh, or stale with `stale: true`), `database` (`select 1` answers; when the app
   * has one) and `redis` (PING answers; when REDIS_URL is set). Public.
   */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const { database, redis } = this;
    return this.health.check([
      () => this.oauthJwt.isHealthy(),
      ...(database.configured ? [() => database.isHealthy()] : []),
      ...(redis?.configured ? [() => redis.isHealthy()] : []),
    ]);
  }
}
