import { Controller, Get, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../oauth-jwt';
import { OAuthJwtHealthIndicator } from '../oauth-jwt/health';
import { RedisHealthIndicator } from '../redis/redis.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly oauthJwt: OAuthJwtHealthIndicator,
    @Optional() private readonly redis?: RedisHealthIndicator,
  ) {}

  /** Liveness: the process answers. Public. */
  @Public()
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the signing keys are usable (fresh, or stale with `stale: true`), and Redis answers
   * when REDIS_URL is set, each reported under its own key; 503 when one is down. Public.
   */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const redis = this.redis;
    const shared = redis?.configured ? [() => redis.isHealthy()] : [];
    return this.health.check([() => this.oauthJwt.isHealthy(), ...shared]);
  }
}
