import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '../database/database.health';
import { OAuthJwtHealthIndicator } from '../oauth-jwt/health';
import { HealthController } from './health.controller';

/** Liveness (`/health`) and readiness (`/health/ready`: keys, database, Redis), both public. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [OAuthJwtHealthIndicator, DatabaseHealthIndicator],
})
export class HealthModule {}
