import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../oauth-jwt';
import { OAuthJwtHealthIndicator } from '../oauth-jwt/health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly oauthJwt: OAuthJwtHealthIndicator,
  ) {}

  /** Liveness: the process answers. Public. */
  @Public()
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the signing keys are usable (fresh, or stale with `stale: true`); 503 when no key
   * is. Public.
   */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.oauthJwt.isHealthy()]);
  }
}
