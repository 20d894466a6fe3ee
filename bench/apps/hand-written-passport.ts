import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { SCOPE, type AppSpec } from './app-spec';

/** Injection token of the AppSpec in the hand-written app. */
export const APP_SPEC = 'BENCH:APP_SPEC';

/**
 * The strategy of the Auth0 NestJS tutorial: passport-jwt with jwks-rsa's `passportJwtSecret`
 * (key cache and rate limit on), no verified-token cache: every request verifies the signature.
 * Used with `AuthGuard('jwt')` and HandWrittenScopeGuard.
 */
@Injectable()
export class HandWrittenJwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(APP_SPEC) spec: AppSpec) {
    super({
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: spec.jwksUri,
      }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      audience: spec.audience,
      issuer: spec.issuer,
      algorithms: ['RS256'],
    });
  }

  validate(payload: unknown): unknown {
    return payload;
  }
}

/** The tutorial's permissions guard: the verified payload's `scope` must include the route's. */
@Injectable()
export class HandWrittenScopeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { user } = context.switchToHttp().getRequest<{ user?: { scope?: unknown } }>();
    const scope = user?.scope;
    return typeof scope === 'string' && scope.split(' ').includes(SCOPE);
  }
}
