import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { AppConfig } from './config/app-config';
import { NO_SCALE_FEATURES, type ScaleConfig } from './config/scale-config';
import { HealthModule } from './health/health.module';
import { OAuthJwtModule, type OAuthJwtModuleOptions } from './oauth-jwt';
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
 */
@Module({})
export class AppModule {
  /** `scale`: quotas, Redis and request logs (bootstrap reads them from the environment). */
  static register(config: AppConfig, scale: ScaleConfig = NO_SCALE_FEATURES): DynamicModule {
    const partners = PartnersModule.register(config.partners);
    return {
      module: AppModule,
      imports: [
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
            return {
              ...app.oauth,
              issuer: app.issuer,
              audience: app.audience,
              ...(app.jwksUri ? { jwksUri: app.jwksUri } : {}),
              clientResolver: partnersService,
            };
          },
        }),
        UsersModule,
        HealthModule,
        // After OAuthJwtModule: the quota guard runs after its guards (global guards keep import order).
        ...scaleModules(scale, { module: partners, resolver: PartnersService }),
      ],
    };
  }
}
