import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from './config/app-config';
import { NO_SCALE_FEATURES, type ScaleConfig } from './config/scale-config';
import { DatabaseUnavailableFilter } from './database/database-unavailable.filter';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { OAuthJwtModule, type OAuthJwtModuleOptions } from './oauth-jwt';
import { PartnerChangesModule } from './partners/partner-changes.module';
import { PartnersModule } from './partners/partners.module';
import { PartnersService } from './partners/partners.service';
import { UsersModule } from './users/users.module';
import { scaleModules } from './scale-modules';

/** What the app's ConfigService holds (validated from the environment by loadAppConfig). */
export interface AppSettings {
  app: AppConfig;
}

/**
 * The sample partner users API, wired to the library only through its public barrel: the module is
 * configured from @nestjs/config with forRootAsync, the partner registry is the client resolver.
 * Partners and users live in config.database (PGlite or PostgreSQL), or in memory without one.
 */
@Module({})
export class AppModule {
  /** `scale`: quotas, Redis and request logs (bootstrap reads them from the environment). */
  static register(config: AppConfig, scale: ScaleConfig = NO_SCALE_FEATURES): DynamicModule {
    const partners = PartnersModule.register(config.partners);
    return {
      module: AppModule,
      providers: [{ provide: APP_FILTER, useClass: DatabaseUnavailableFilter }],
      imports: [
        DatabaseModule.register(config.database),
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [(): AppSettings => ({ app: config })],
        }),
        partners,
        OAuthJwtModule.forRootAsync({
          imports: [ConfigModule, partners],
          inject: [ConfigService, PartnersService],
          useFactory: (
            settings: ConfigService<AppSettings, true>,
            partnersService: PartnersService,
          ): OAuthJwtModuleOptions => {
            const app = settings.get('app', { infer: true });
            const trusted = app.issuers
              ? { issuers: [...app.issuers] }
              : {
                  issuer: app.issuer,
                  audience: app.audience,
                  ...(app.jwksUri ? { jwksUri: app.jwksUri } : {}),
                  ...(app.secret ? { secret: app.secret } : {}),
                };
            return {
              ...app.oauth,
              ...trusted,
              ...(app.profile ? { profile: app.profile } : {}),
              // RFC 9728: metadata at the resource's well-known URL, named in every challenge.
              ...(app.resource ? { resourceMetadata: { resource: app.resource } } : {}),
              clientResolver: partnersService,
            };
          },
        }),
        PartnerChangesModule.register(partners),
        UsersModule,
        HealthModule,
        // After OAuthJwtModule: the quota guard runs after its guards (global guards keep import order).
        ...scaleModules(scale),
      ],
    };
  }
}
