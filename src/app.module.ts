import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';
import { OAuthJwtModule } from './oauth-jwt';
import { PartnersModule } from './partners/partners.module';
import { PartnersService } from './partners/partners.service';
import { UsersModule } from './users/users.module';

/** The sample partner users API, wired to the library only through its public barrel. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    const partners = PartnersModule.register(config.partners);
    return {
      module: AppModule,
      imports: [
        partners,
        OAuthJwtModule.forRootAsync({
          imports: [partners],
          inject: [PartnersService],
          useFactory: (partnersService: PartnersService) => ({
            ...config.oauth,
            issuer: config.issuer,
            audience: config.audience,
            ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
            clientResolver: partnersService,
          }),
        }),
        UsersModule,
      ],
      controllers: [HealthController],
    };
  }
}
