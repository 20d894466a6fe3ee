import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PartnerCache } from './partner/partner-cache';
import { PartnerResolver } from './partner/partner-resolver';
import { VerifiedTokenCache } from './cache/verified-token.cache';
import { AuthEventsService } from './events/auth-events.service';
import { BearerTokenExceptionFilter } from './bearer-token-exception.filter';
import { ClaimsGuard } from './guards/claims.guard';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { ScopesGuard } from './guards/scopes.guard';
import { TrustedIssuers } from './issuers/trusted-issuers';
import { describeFetchFailure } from './key-set/describe-fetch-failure';
import { OAUTH_JWT_RESOLVED_OPTIONS } from './oauth-jwt.constants';
import { ConfigurableModuleClass, OAUTH_JWT_OPTIONS } from './oauth-jwt.module-definition';
import type { OAuthJwtModuleOptions, ResolvedOAuthJwtOptions } from './oauth-jwt-options.interface';
import { resolveOAuthJwtOptions } from './resolve-options';

/** The module's services: provided, and exported so apps and the subpaths can inject them. */
const SERVICES = [
  TrustedIssuers,
  VerifiedTokenCache,
  PartnerCache,
  PartnerResolver,
  AuthEventsService,
  JwtAuthGuard,
  ScopesGuard,
  ClaimsGuard,
];

/**
 * Protects an API with OAuth 2.0 JWT access tokens. `OAuthJwtModule.forRoot({ issuer, audience })`
 * or `forRootAsync({ imports, inject, useFactory })`; see OAuthJwtModuleOptions.
 */
@Module({
  providers: [
    {
      provide: OAUTH_JWT_RESOLVED_OPTIONS,
      useFactory: (options: OAuthJwtModuleOptions) => resolveOAuthJwtOptions(options),
      inject: [OAUTH_JWT_OPTIONS],
    },
    ...SERVICES,
    { provide: APP_FILTER, useClass: BearerTokenExceptionFilter },
  ],
  exports: [OAUTH_JWT_RESOLVED_OPTIONS, ...SERVICES],
})
export class OAuthJwtModule extends ConfigurableModuleClass implements OnApplicationBootstrap {
  private readonly logger = new Logger('OAuthJwtModule');

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    private readonly issuers: TrustedIssuers,
  ) {
    super();
  }

  /** With `keySet.warmUp`, fetch every issuer's keys before the first partner request has to. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.keySet.warmUp) return;
    await Promise.all(
      this.issuers.all.map(async ({ settings, keys }) => {
        try {
          await keys.warmUp();
        } catch (error) {
          this.logger.warn(
            `Could not fetch the signing keys of ${settings.issuer} at start-up: ` +
              `${describeFetchFailure(error)}; will retry on demand`,
          );
        }
      }),
    );
  }
}
