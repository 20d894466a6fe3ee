import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { KeySource } from './key-set/key-source.interface';
import type { SigningKey } from './key-set/signing-key';
import { OAUTH_JWT_STRATEGY } from './oauth-jwt.constants';
import type { ResolvedIssuer, ResolvedOAuthJwtOptions } from './oauth-jwt-options.interface';
import type { OAuthPrincipal } from './principal.interface';
import { buildPrincipal, type PrincipalRules } from './token/build-principal';
import { checkJoseHeader, decodeCompactJws, type DecodedJws } from './token/decode-jose-header';
import { PROFILE_RULES } from './token/provider-profiles';

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

/**
 * The one hand-off between JwtAuthGuard and this strategy, in both directions. The guard has read
 * the token strictly from the `Authorization` header and hands it over as passport's "request";
 * the strategy records on it the key that verified the signature, which the guard needs to cache
 * the token (a cached token stops serving when its key leaves the JWKS).
 */
export interface StrategyInput {
  readonly token: string;
  /** The token decoded once by the guard (decodeCompactJws): the header is checked, not parsed again. */
  readonly decoded: DecodedJws;
  signingKey?: SigningKey;
}

/** What verify() answers: who is calling, the key that vouched for it, and where that key is kept. */
export interface VerifiedToken {
  readonly principal: OAuthPrincipal;
  readonly signingKey: SigningKey;
  readonly keys: KeySource;
}

/** The actions passport gives a strategy for one authentication (passport's strategy contract). */
interface StrategyAttempt {
  success(user: unknown): void;
  /** passport-jwt passes jsonwebtoken's errors and ours (typed loosely by passport). */
  fail(challenge: Error): void;
  error(error: Error): void;
  authenticate(input: StrategyInput, options: object): void;
}

/**
 * The passport-jwt strategy of ONE trusted issuer: verifies the token with that issuer's keys (its
 * JWKS or its shared secret), `iss`, audience and algorithms, then builds the principal by its
 * profile. TrustedIssuers makes one per configured issuer. No HTTP logic: it sees a StrategyInput,
 * never a request.
 */
export class JwtStrategy extends PassportStrategy(Strategy, OAUTH_JWT_STRATEGY) {
  /**
   * passport keeps one global registry of strategies; each module instance registers under its own
   * name so two apps in one process (tests, multi-tenant hosts, two copies of this library) never
   * verify with each other's settings.
   */
  readonly strategyName: string;
  private readonly rules: PrincipalRules;
  private readonly scopeClaims: readonly string[];

  constructor(
    private readonly options: ResolvedOAuthJwtOptions,
    private readonly keys: KeySource,
    issuer: ResolvedIssuer | undefined = options.issuers[0],
  ) {
    if (!issuer) throw new Error('JwtStrategy: no issuer');
    const tokenTypes = options.requireRfc9068 ? ['at+jwt'] : options.tokenTypes;
    const strategyOptions: StrategyOptionsWithoutRequest = {
      jwtFromRequest: (input: StrategyInput) => input.token,
      secretOrKeyProvider: (input: StrategyInput, _rawToken: string, done) => {
        let header;
        try {
          header = checkJoseHeader(
            input.decoded,
            issuer.algorithms,
            tokenTypes,
            options.requireRfc9068,
          );
        } catch (error) {
          done(error);
          return;
        }
        keys.getSigningKey(header.kid, header.alg).then(
          (signingKey) => {
            input.signingKey = signingKey;
            done(null, signingKey.key as unknown as string);
          },
          (error: unknown) => {
            done(error);
          },
        );
      },
      // passport-jwt copies these over jsonWebTokenOptions, so they are given here.
      issuer: issuer.issuer,
      // Under the scope-prefix rule the audience is checked by buildPrincipal (Cognito has no aud).
      ...(issuer.audienceRule === 'aud' ? { audience: [...issuer.audience] } : {}),
      algorithms: [...issuer.algorithms],
      ignoreExpiration: false,
      // Typed deprecated, but it is how passport-jwt passes clockTolerance and maxAge on.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      jsonWebTokenOptions: {
        clockTolerance: options.clockToleranceSeconds,
        ...(options.maxTokenAgeSeconds === undefined ? {} : { maxAge: options.maxTokenAgeSeconds }),
      },
    };
    super(strategyOptions);
    this.scopeClaims = issuer.scopeClaims;
    this.rules = {
      clientIdClaims: issuer.clientIdClaims,
      rules: PROFILE_RULES[issuer.profile],
      clientCredentialsOnly: options.clientCredentialsOnly,
      audience: issuer.audience,
      audienceRule: issuer.audienceRule,
      requireRfc9068: options.requireRfc9068,
    };
    this.strategyName = nextStrategyName();
    passport.use(this.strategyName, this);
  }

  /**
   * Verifies one token: runs passport-jwt the way passport's authenticate middleware runs any
   * strategy (on a per-call object carrying success / fail / error), with the token as its input
   * instead of an HTTP request. Rejects with what passport-jwt reported (a jsonwebtoken error, a
   * BearerTokenException from the key set or the claim checks); JwtAuthGuard maps it.
   */
  verify(token: string, decoded?: DecodedJws): Promise<VerifiedToken> {
    return new Promise<VerifiedToken>((resolve, reject) => {
      const input: StrategyInput = { token, decoded: decoded ?? decodeCompactJws(token) };
      const attempt = Object.create(this) as StrategyAttempt;
      attempt.success = (principal) => {
        const { signingKey } = input;
        if (signingKey) {
          resolve({ principal: principal as OAuthPrincipal, signingKey, keys: this.keys });
        } else reject(new Error('verified without a signing key'));
      };
      // passport-jwt reports jsonwebtoken's errors and ours through these; JwtAuthGuard maps them.
      attempt.fail = (challenge) => {
        reject(challenge);
      };
      attempt.error = (error) => {
        reject(error);
      };
      attempt.authenticate(input, {});
    });
  }

  /** Called by passport-jwt with the verified payload. */
  validate(payload: unknown): OAuthPrincipal {
    return buildPrincipal(
      payload,
      this.scopeClaims,
      this.options.clockToleranceSeconds,
      Math.floor(Date.now() / 1000),
      this.rules,
    );
  }
}
