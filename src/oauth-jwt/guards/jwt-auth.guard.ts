import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import { ClientResolutionService } from '../cache/client-resolution.service';
import { VerifiedTokenCache } from '../cache/verified-token.cache';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { toBearerTokenException } from '../errors/to-bearer-token-exception';
import { AuthEventsService } from '../events/auth-events.service';
import { JwtStrategy } from '../jwt.strategy';
import type { SigningKey } from '../key-set/signing-key';
import { REQUEST_CLIENT, REQUEST_SIGNING_KEY, REQUEST_TOKEN } from '../oauth-jwt.constants';
import type { OAuthPrincipal } from '../principal.interface';
import { readBearerToken, type BearerRequest } from '../token/read-bearer-token';
import { RouteMetadataCache } from './route-metadata.cache';
import { readIsPublic } from './route-requirements';

type GuardedRequest = BearerRequest & {
  user?: OAuthPrincipal;
  [REQUEST_TOKEN]?: string;
  [REQUEST_SIGNING_KEY]?: SigningKey;
  [REQUEST_CLIENT]?: unknown;
};

/**
 * Authenticates every request not marked `@Public()`: reads the bearer token strictly, serves a
 * verified token from the cache, otherwise runs the passport-jwt strategy, then resolves the
 * partner. Registered globally by OAuthJwtModule. Each step is a protected method to override.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard() {
  private readonly passportOptions: IAuthModuleOptions;
  private readonly publicRoutes = new RouteMetadataCache((targets) =>
    readIsPublic(this.reflector, targets),
  );

  /** @internal Nest injects these; the published .d.ts leaves them out (they are internals). */
  constructor(
    private readonly reflector: Reflector,
    private readonly tokenCache: VerifiedTokenCache,
    private readonly clientResolution: ClientResolutionService,
    private readonly events: AuthEventsService,
    strategy: JwtStrategy,
  ) {
    const passportOptions = {
      defaultStrategy: strategy.strategyName,
      session: false,
      property: 'user',
    };
    super(passportOptions);
    this.passportOptions = passportOptions;
  }

  /** Synchronous on a warm request (cached token and partner): no promise, no microtask. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // Guards also run for WebSocket and RPC handlers, where no bearer header can be read: deny.
    if (context.getType() !== 'http') throw new BearerTokenException('unsupported_context');
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const token = readBearerToken(request);
    const cached = this.tokenCache.get(token);
    if (cached) return this.admit(request, cached, true);
    return this.verify(context, request, token).then((principal) =>
      this.admit(request, principal, false),
    );
  }

  /** Puts the principal and its partner on the request (403 for an unknown partner). */
  protected admit(
    request: GuardedRequest,
    principal: OAuthPrincipal,
    cached: boolean,
  ): boolean | Promise<boolean> {
    request.user = principal;
    const client = this.clientResolution.resolve(principal);
    if (client instanceof Promise) {
      return client.then((resolved: unknown) =>
        this.admitted(request, principal, resolved, cached),
      );
    }
    return this.admitted(request, principal, client, cached);
  }

  private admitted(
    request: GuardedRequest,
    principal: OAuthPrincipal,
    client: unknown,
    cached: boolean,
  ): true {
    // Only when there is one: each new property on a request object costs a hidden-class change.
    if (client !== undefined) request[REQUEST_CLIENT] = client;
    this.events.authenticated(principal, request, cached);
    return true;
  }

  /** jsonwebtoken's errors arrive in `info`; both become one BearerTokenException. */
  // The generic signature is passport's; it must stay to override it.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  override handleRequest<TUser = OAuthPrincipal>(
    error: unknown,
    principal: unknown,
    info: unknown,
  ): TUser {
    if (error || !principal) throw toBearerTokenException(error ?? info);
    return principal as TUser;
  }

  protected isPublic(context: ExecutionContext): boolean {
    return this.publicRoutes.get(context);
  }

  /** The cache-miss path: passport-jwt verifies, then the verified principal is cached. */
  protected async verify(
    context: ExecutionContext,
    request: GuardedRequest,
    token: string,
  ): Promise<OAuthPrincipal> {
    request[REQUEST_TOKEN] = token;
    // An app-wide AuthModuleOptions may have been property-injected; this guard uses its own strategy.
    (this as unknown as { options: IAuthModuleOptions }).options = this.passportOptions;
    await super.canActivate(context);
    const principal = request.user;
    const signingKey = request[REQUEST_SIGNING_KEY];
    if (!principal) throw new BearerTokenException('invalid_token');
    if (signingKey) this.tokenCache.set(token, principal, signingKey);
    return principal;
  }
}
