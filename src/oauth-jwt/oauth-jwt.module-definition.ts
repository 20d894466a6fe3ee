import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ClaimsGuard } from './guards/claims.guard';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { ScopesGuard } from './guards/scopes.guard';
import type { OAuthJwtModuleOptions } from './oauth-jwt-options.interface';

/** Structural choices made when the module is imported (not from the async factory). */
export interface OAuthJwtModuleExtras {
  /** Make the module's guards and services visible app-wide. @default true */
  isGlobal?: boolean;
  /**
   * Bind JwtAuthGuard, ScopesGuard and ClaimsGuard as global guards (in that order: 401 before 403).
   * Set false to bind them yourself with `@UseGuards`. @default true
   */
  registerGlobalGuards?: boolean;
}

/** Authentication before authorization: APP_GUARDs run in the order they are provided. */
const GLOBAL_GUARDS: Provider[] = [
  { provide: APP_GUARD, useExisting: JwtAuthGuard },
  { provide: APP_GUARD, useExisting: ScopesGuard },
  { provide: APP_GUARD, useExisting: ClaimsGuard },
];

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: OAUTH_JWT_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OAuthJwtModuleOptions>({ moduleName: 'OAuthJwt' })
  .setClassMethodName('forRoot')
  .setExtras<OAuthJwtModuleExtras>(
    { isGlobal: true, registerGlobalGuards: true },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: [
        ...(definition.providers ?? []),
        ...(extras.registerGlobalGuards ? GLOBAL_GUARDS : []),
      ],
    }),
  )
  .build();
