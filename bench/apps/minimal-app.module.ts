import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, PassportModule } from '@nestjs/passport';
import { OAuthJwtModule, RequireScopes } from '../../src/oauth-jwt';
import { SCOPE, type AppSpec } from './app-spec';
import { APP_SPEC, HandWrittenJwtStrategy, HandWrittenScopeGuard } from './hand-written-passport';
import { SignatureOnlyGuard } from './signature-only.guard';

/** The one route of every minimal app. The scope metadata is read by our module only. */
@Controller()
export class BenchController {
  @RequireScopes(SCOPE)
  @Get('guarded')
  guarded(): { ok: true } {
    return { ok: true };
  }
}

/** The same controller behind no guard, our module, the hand-written guard, or the floor guard. */
@Module({})
export class MinimalAppModule {
  static register(spec: AppSpec): DynamicModule {
    const base = { module: MinimalAppModule, controllers: [BenchController] };
    switch (spec.kind) {
      case 'ours':
        return {
          ...base,
          imports: [
            OAuthJwtModule.forRoot({
              issuer: spec.issuer,
              audience: spec.audience,
              jwksUri: spec.jwksUri,
              ...(spec.tokenCache ? { tokenCache: spec.tokenCache } : {}),
            }),
          ],
        };
      case 'passport-jwt':
        return {
          ...base,
          imports: [PassportModule],
          providers: [
            { provide: APP_SPEC, useValue: spec },
            HandWrittenJwtStrategy,
            { provide: APP_GUARD, useClass: AuthGuard('jwt') },
            { provide: APP_GUARD, useClass: HandWrittenScopeGuard },
          ],
        };
      case 'floor':
        return {
          ...base,
          providers: [
            { provide: APP_GUARD, useFactory: () => SignatureOnlyGuard.forJwks(spec.jwksUri) },
          ],
        };
      default:
        return base;
    }
  }
}
