import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OAuthJwtHealthIndicator } from '../oauth-jwt/health';
import { HealthController } from './health.controller';

/** Liveness (`/health`) and readiness (`/health/ready`: the signing keys), both public. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [OAuthJwtHealthIndicator],
})
export class HealthModule {}
