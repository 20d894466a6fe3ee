import { Module, type DynamicModule } from '@nestjs/common';
import { OAuthJwtModule } from '../../src/oauth-jwt';
import type { AppSpec } from './app-spec';
import { OAuthJwtBenchController } from './oauth-jwt-bench.controller';

/** Our module as a user wires it: forRoot with the global guards. */
@Module({})
export class OAuthJwtBenchModule {
  static register(spec: AppSpec): DynamicModule {
    return {
      module: OAuthJwtBenchModule,
      imports: [
        OAuthJwtModule.forRoot({
          issuer: spec.issuer,
          audience: spec.audience,
          jwksUri: spec.jwksUri,
          tokenCache: { enabled: spec.tokenCache },
        }),
      ],
      controllers: [OAuthJwtBenchController],
    };
  }
}
