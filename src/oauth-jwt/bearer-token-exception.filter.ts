import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAUTH_JWT_RESOLVED_OPTIONS } from './oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from './oauth-jwt-options.interface';
import { AuthEventsService } from './events/auth-events.service';
import { buildBearerChallenge } from './errors/bearer-challenge';
import { BearerTokenException } from './errors/bearer-token.exception';

/**
 * The one place a refusal becomes an HTTP response: status, `WWW-Authenticate`, `Retry-After` and
 * Nest's usual JSON body. Written through the HTTP adapter, so Express and Fastify alike.
 */
@Catch(BearerTokenException)
export class BearerTokenExceptionFilter implements ExceptionFilter<BearerTokenException> {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
    private readonly events: AuthEventsService,
  ) {}

  catch(exception: BearerTokenException, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const adapter = this.adapterHost.httpAdapter;
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    this.events.refused(exception, http.getRequest());
    const challenge = buildBearerChallenge(
      exception,
      this.options.realm,
      this.options.resourceMetadata?.url,
    );
    if (challenge !== undefined) adapter.setHeader(response, 'WWW-Authenticate', challenge);
    if (exception.retryAfterSeconds !== undefined) {
      adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    }
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.reply(response, exception.getResponse(), exception.getStatus());
  }
}
