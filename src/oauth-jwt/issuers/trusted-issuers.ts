import { Inject, Injectable } from '@nestjs/common';
import { JwtStrategy } from '../jwt.strategy';
import { KeySet } from '../key-set/key-set';
import type { KeySource } from '../key-set/key-source.interface';
import { SharedSecret } from '../key-set/shared-secret';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedIssuer, ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { DecodedJws } from '../token/decode-jose-header';
import { selectIssuer, type AnyIssuerHeader } from '../token/select-issuer';

/** One configured issuer: its settings, its keys and its passport-jwt strategy. */
export interface TrustedIssuer {
  readonly settings: ResolvedIssuer;
  readonly keys: KeySource;
  /** @internal */
  readonly strategy: JwtStrategy;
}

/**
 * Every trusted issuer, each with its own key source (its JWKS, or its shared secret: never both)
 * and its own JwtStrategy. `strategyFor(token)` picks one from the token's unverified `iss`.
 */
@Injectable()
export class TrustedIssuers {
  readonly all: readonly TrustedIssuer[];
  private readonly byIssuer: ReadonlyMap<string, JwtStrategy>;
  private readonly anyHeader: AnyIssuerHeader;

  /** @internal Nest injects the resolved options. */
  constructor(@Inject(OAUTH_JWT_RESOLVED_OPTIONS) options: ResolvedOAuthJwtOptions) {
    this.all = options.issuers.map((settings) => {
      const keys: KeySource = settings.secret
        ? new SharedSecret(settings.secret)
        : new KeySet({ ...settings, keySet: options.keySet });
      return { settings, keys, strategy: new JwtStrategy(options, keys, settings) };
    });
    this.byIssuer = new Map(this.all.map((trusted) => [trusted.settings.issuer, trusted.strategy]));
    this.anyHeader = {
      algorithms: [...new Set(options.issuers.flatMap((issuer) => issuer.algorithms))],
      tokenTypes: options.requireRfc9068 ? ['at+jwt'] : options.tokenTypes,
      typeRequired: options.requireRfc9068,
    };
  }

  /** @internal The strategy of the issuer the token names; `bad_issuer` / `malformed_token` otherwise. */
  strategyFor(decoded: DecodedJws): JwtStrategy {
    return selectIssuer(decoded, this.byIssuer, this.anyHeader);
  }
}
