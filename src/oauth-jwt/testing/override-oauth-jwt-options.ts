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
 * `forRootAsync` says: the app's own options are kept (its `clientResolver`, profile, caches,
 * hooks), its trusted issuers go (`issuer`, `audience`, `jwksUri`, `secret`, or the whole
 * `issuers` list) and the test issuer is the one trusted, then `overrides` apply. To trust several
 * test issuers, give them as `overrides.issuers` (e.g. `[a.trustedIssuer(),
 * b.trustedIssuer({ profile: 'entra' })]`); `issuer` is then not added. So no request goes to a production issuer,
 * and the app's partner lookup runs as in production. The app's options factory still runs; to
 * replace its options entirely, override `OAUTH_JWT_OPTIONS` with `issuer.moduleOptions()` instead.
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
    factory: (appOptions) => {
      const trusted = overrides.issuers === undefined ? issuer.moduleOptions() : {};
      return resolveOAuthJwtOptions({ ...withoutIssuers(appOptions), ...trusted, ...overrides });
    },
    inject: [OAUTH_JWT_OPTIONS],
  });
}

/** The options without the issuers they trust (either form), which the test's replace. */
function withoutIssuers(options: OAuthJwtModuleOptions): OAuthJwtModuleOptions {
  const kept = { ...options };
  delete kept.issuer;
  delete kept.audience;
  delete kept.jwksUri;
  delete kept.secret;
  delete kept.issuers;
  return kept;
}
