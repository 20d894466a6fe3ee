import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PartnerCacheEntry } from '../partner/partner-cache';
import { PartnerResolver } from '../partner/partner-resolver';
import { VerifiedTokenCache } from '../cache/verified-token.cache';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { toBearerTokenException } from '../errors/to-bearer-token-exception';
import { AuthEventsService } from '../events/auth-events.service';
import { TrustedIssuers } from '../issuers/trusted-issuers';
import { REQUEST_CLIENT } from '../oauth-jwt.constants';
import type { OAuthPrincipal } from '../principal.interface';
import { decodeCompactJws } from '../token/decode-jose-header';
import {
  readBearerToken,
  readKnownBearerToken,
  type BearerRequest,
} from '../token/read-bearer-token';
import { RouteMetadataCache } from './route-metadata.cache';
import { readIsPublic } from './route-requirements';

type GuardedRequest = BearerRequest & { user?: OAuthPrincipal; [REQUEST_CLIENT]?: object };

/**
 * Authenticates every request not marked `@Public()`, in the order of the request's path:
 * the strict bearer reader (400 / 401), the verified-token cache, on a miss the passport-jwt
 * strategy of the token's issuer (TrustedIssuers, then JwtStrategy.verify: key set, signature,
 * claims, principal), then the partner
 * resolver (403 / 503). Puts the principal on `request.user` and the partner where `@Client()`
 * reads it. Registered globally by OAuthJwtModule; each step is a protected method to override.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly publicRoutes = new RouteMetadataCache((targets) =>
    readIsPublic(this.reflector, targets),
  );

  /** @internal Nest injects these; the published .d.ts leaves them out (they are internals). */
  constructor(
    private readonly reflector: Reflector,
    private readonly tokenCache: VerifiedTokenCache,
    private readonly issuers: TrustedIssuers,
    private readonly partners: PartnerResolver,
    private readonly events: AuthEventsService,
  ) {}

  /** Synchronous on a warm request (cached token and partner): no promise, no microtask. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // Guards also run for WebSocket and RPC handlers, where no bearer header can be read: deny.
    if (context.getType() !== 'http') throw new BearerTokenException('unsupported_context');
    if (this.isPublic(context)) return true;
    const request = context.getArgByIndex<GuardedRequest>(0);
    const known = readKnownBearerToken(request, this.cachedPrincipal);
    if (known) return this.admit(request, known, true);
    const token = readBearerToken(request);
    // A canonical `Bearer <token>` was looked up just now: only another spelling can still hit.
    const header = request.headers.authorization as string;
    const looked = header.length === token.length + 7 && header.startsWith('Bearer ');
    const cached = looked ? undefined : this.tokenCache.get(token);
    if (cached) return this.admit(request, cached, true);
    return this.verify(token).then((principal) => this.admit(request, principal, false));
  }

  private readonly cachedPrincipal = (token: string): OAuthPrincipal | undefined =>
    this.tokenCache.get(token);

  protected isPublic(context: ExecutionContext): boolean {
    return this.publicRoutes.get(context);
  }

  /**
   * The cache-miss path: the token's unverified `iss` picks one trusted issuer's strategy (an
   * unknown one is refused before any key lookup), which verifies; the principal is cached.
   */
  protected async verify(token: string): Promise<OAuthPrincipal> {
    try {
      const decoded = decodeCompactJws(token);
      const strategy = this.issuers.strategyFor(decoded);
      const { principal, signingKey, keys } = await strategy.verify(token, decoded);
      this.tokenCache.set(token, principal, signingKey, keys);
      return principal;
    } catch (error) {
      throw this.toException(error);
    }
  }

  /**
   * Every failure of the strategy becomes one BearerTokenException: jsonwebtoken's errors are
   * classified by name, ours pass through.
   */
  protected toException(error: unknown): BearerTokenException {
    return toBearerTokenException(error);
  }

  /**
   * Puts the principal and its partner on the request: 403 / 503 from the partner resolver, and
   * the partner's entitlements applied (suspension, granted scopes).
   */
  protected admit(
    request: GuardedRequest,
    principal: OAuthPrincipal,
    cached: boolean,
  ): boolean | Promise<boolean> {
    // On the request before the partner step, so a refusal there names the client in its event.
    request.user = principal;
    const verdict = this.partners.resolve(principal);
    if (verdict instanceof Promise) {
      return verdict.then((entry) => this.admitted(request, principal, entry, cached));
    }
    return this.admitted(request, principal, verdict, cached);
  }

  private admitted(
    request: GuardedRequest,
    principal: OAuthPrincipal,
    verdict: PartnerCacheEntry | undefined,
    cached: boolean,
  ): true {
    // Only when there is one: each new property on a request object costs a hidden-class change.
    if (verdict !== undefined) {
      request.user = this.partners.entitle(verdict, principal);
      request[REQUEST_CLIENT] = verdict.partner;
    }
    this.events.authenticated(principal, request, cached);
    return true;
  }
}
