import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_SPEC, type AppSpec } from './app-spec';

/**
 * The hand-written strategy of the Auth0 NestJS tutorial: passport-jwt with jwks-rsa's
 * `passportJwtSecret` (key cache and rate limit on). No verified-token cache: every request
 * verifies the signature.
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
