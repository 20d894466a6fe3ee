import { Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { APP_SPEC, type AppSpec } from './app-spec';
import { PassportJwtBenchController } from './passport-jwt-bench.controller';
import { HandWrittenScopeGuard } from './passport-scope.guard';
import { HandWrittenJwtStrategy } from './passport-jwt.strategy';

/** The usual hand-written NestJS setup (AuthGuard('jwt') + passport-jwt + jwks-rsa). */
@Module({})
export class PassportJwtBenchModule {
  static register(spec: AppSpec): DynamicModule {
    return {
      module: PassportJwtBenchModule,
      imports: [PassportModule.register({ defaultStrategy: 'jwt' })],
      controllers: [PassportJwtBenchController],
      providers: [
        { provide: APP_SPEC, useValue: spec },
        HandWrittenJwtStrategy,
        HandWrittenScopeGuard,
      ],
    };
  }
}
