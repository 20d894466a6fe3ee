import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { KeySet } from './key-set/key-set';
import {
  OAUTH_JWT_RESOLVED_OPTIONS,
  OAUTH_JWT_STRATEGY,
  REQUEST_SIGNING_KEY,
  REQUEST_TOKEN,
} from './oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from './oauth-jwt-options.interface';
import type { OAuthPrincipal } from './principal.interface';
import { buildPrincipal } from './token/build-principal';
import { decodeJoseHeader } from './token/decode-jose-header';

/**
 * Counts strategies across the whole process, on globalThis: a module-level counter would restart
 * at 1 in a second copy of this library (two installs in one process), whose strategy would then
 * silently replace the first one's in passport's global registry.
 */
const STRATEGY_COUNT = Symbol.for('nest-oauth-jwt:strategy-count');

function nextStrategyName(): string {
  const registry = globalThis as Record<symbol, unknown>;
  const previous = registry[STRATEGY_COUNT];
  const count = (typeof previous === 'number' ? previous : 0) + 1;
  registry[STRATEGY_COUNT] = count;
  return `${OAUTH_JWT_STRATEGY}#${String(count)}`;
}

/** The passport-jwt strategy: verifies the token with the key set's keys and builds the principal. No HTTP logic. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, OAUTH_JWT_STRATEGY) {
  /**
   * passport keeps one global registry of strategies; each module instance registers under its own
   * name so two apps in one process (tests, multi-tenant hosts, two copies of this library) never
   * verify with each other's settings.
   */
  readonly strategyName: string;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    keySet: KeySet,
  ) {
    const strategyOptions: StrategyOptionsWithoutRequest = {
      // The guard has read the header strictly; passport takes what it found.
      jwtFromRequest: (request: Record<symbol, unknown>) => {
        const token = request[REQUEST_TOKEN];
        return typeof token === 'string' ? token : null;
      },
      secretOrKeyProvider: (request: Record<symbol, unknown>, rawToken: string, done) => {
        let header;
        try {
          header = decodeJoseHeader(rawToken, options.algorithms, options.tokenTypes);
        } catch (error) {
          done(error);
          return;
        }
        keySet.getSigningKey(header.kid, header.alg).then(
          (signingKey) => {
            request[REQUEST_SIGNING_KEY] = signingKey;
            done(null, signingKey.key as unknown as string);
          },
          (error: unknown) => {
            done(error);
          },
        );
      },
      // passport-jwt copies these over jsonWebTokenOptions, so they are given here.
      issuer: options.issuer,
      audience: [...options.audience],
      algorithms: [...options.algorithms],
      ignoreExpiration: false,
      // Typed deprecated, but it is how passport-jwt passes clockTolerance and maxAge on.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      jsonWebTokenOptions: {
        clockTolerance: options.clockToleranceSeconds,
        ...(options.maxTokenAgeSeconds === undefined ? {} : { maxAge: options.maxTokenAgeSeconds }),
      },
    };
    super(strategyOptions);
    this.strategyName = nextStrategyName();
    passport.use(this.strategyName, this);
  }

  /** Called by passport-jwt with the verified payload. */
  validate(payload: unknown): OAuthPrincipal {
    return buildPrincipal(
      payload,
      this.options.scopeClaims,
      this.options.clockToleranceSeconds,
      Math.floor(Date.now() / 1000),
    );
  }
}
