import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import { OAUTH_JWT_OPTIONS } from '../oauth-jwt.module-definition';
import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';
import type { TestIssuer } from './test-issuer';

/**
 * The part of @nestjs/testing's TestingModuleBuilder the helper uses, written out so the test kit
 * does not depend on @nestjs/testing.
 */
export interface ProviderOverrides<Builder> {
  overrideProvider(token: string | symbol): {
    useFactory(options: {
      factory: (appOptions: OAuthJwtModuleOptions) => unknown;
      inject: (string | symbol)[];
    }): Builder;
  };
}

/**
 * Points the OAuthJwtModule of a real AppModule at a test issuer, whatever its `forRoot` or
 * `forRootAsync` says: the app's own options are kept (its `clientResolver`, scopes, caches,
 * hooks), and `issuer`, `audience` and `jwksUri` become the test issuer's, then `overrides` apply.
 * So no request goes to the production issuer, and the app's partner lookup runs as in
 * production. The app's options factory still runs; to replace its options entirely, override
 * `OAUTH_JWT_OPTIONS` with `issuer.moduleOptions()` instead.
 *
 * ```ts
 * const moduleRef = await overrideOAuthJwtOptions(
 *   Test.createTestingModule({ imports: [AppModule] }),
 *   issuer,
 * ).compile();
 * ```
 */
export function overrideOAuthJwtOptions<Builder extends ProviderOverrides<Builder>>(
  builder: Builder,
  issuer: TestIssuer,
  overrides: Partial<OAuthJwtModuleOptions> = {},
): Builder {
  // The module's providers read the resolved options only; overriding them (not the raw options)
  // lets the factory receive the app's options, which a replaced provider could not.
  return builder.overrideProvider(OAUTH_JWT_RESOLVED_OPTIONS).useFactory({
    factory: (appOptions) =>
      resolveOAuthJwtOptions({ ...appOptions, ...issuer.moduleOptions(), ...overrides }),
    inject: [OAUTH_JWT_OPTIONS],
  });
}
