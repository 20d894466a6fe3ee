import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BearerTokenException } from '../errors/bearer-token.exception';
import { OAUTH_JWT_RESOLVED_OPTIONS } from '../oauth-jwt.constants';
import type { ResolvedOAuthJwtOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';
import { AUTH_EVENT_NAMES, type AuthEvent } from './auth-event.interface';

/** The request fields an event names (Express and Fastify requests both fit). */
interface RoutedRequest {
  method?: string;
  url?: string;
  user?: unknown;
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}

/** Refusals a partner's normal life produces; others may be probing or an outage, logged at warn. */
const ROUTINE_REASONS = new Set(['missing_token', 'expired', 'insufficient_scope']);

/**
 * Emits a typed event for every success and refusal to the `onAuthEvent` hook and the
 * `eventEmitter`, and logs refusals through Nest's Logger, one line each (no token, ever).
 */
@Injectable()
export class AuthEventsService {
  private readonly logger = new Logger('OAuthJwt');
  private readonly emitsSuccess: boolean;

  constructor(
    @Inject(OAUTH_JWT_RESOLVED_OPTIONS) private readonly options: ResolvedOAuthJwtOptions,
  ) {
    this.emitsSuccess = options.onAuthEvent !== undefined || options.eventEmitter !== undefined;
  }

  authenticated(principal: OAuthPrincipal, request: RoutedRequest, cached: boolean): void {
    if (!this.emitsSuccess) return;
    this.publish({
      type: 'authenticated',
      clientId: principal.clientId,
      subject: principal.subject,
      route: routeOf(request),
      cached,
      timestamp: Date.now(),
    });
  }

  refused(exception: BearerTokenException, request: RoutedRequest): void {
    const user = request.user as Partial<OAuthPrincipal> | undefined;
    const event: AuthEvent = {
      type: 'refused',
      reason: exception.reason,
      status: exception.getStatus(),
      clientId: typeof user?.clientId === 'string' ? user.clientId : undefined,
      route: routeOf(request),
      timestamp: Date.now(),
    };
    if (this.options.logRefusals) this.log(event);
    this.publish(event);
  }

  private log(event: AuthEvent & { type: 'refused' }): void {
    const who = event.clientId === undefined ? '' : ` client=${printable(event.clientId)}`;
    const line = `refused ${printable(event.route)} status=${event.status} reason=${event.reason}${who}`;
    if (ROUTINE_REASONS.has(event.reason)) this.logger.debug(line);
    else this.logger.warn(line);
  }

  /** A listener's failure must not turn an answer into a 500. */
  private publish(event: AuthEvent): void {
    try {
      this.options.onAuthEvent?.(event);
      this.options.eventEmitter?.emit(AUTH_EVENT_NAMES[event.type], event);
    } catch (error) {
      this.logger.error(
        `auth event listener failed: ${error instanceof Error ? error.name : 'error'}`,
      );
    }
  }
}

/** Log-safe text: anything outside printable ASCII (CR, LF, escapes) cannot forge a log line. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7E]/g, '?');
}

/** `METHOD /route/pattern`: the route pattern, never the raw URL (it may carry a query token). */
function routeOf(request: RoutedRequest): string {
  const pattern = request.route?.path ?? request.routeOptions?.url;
  const path = typeof pattern === 'string' ? pattern : (request.url ?? '').split('?')[0];
  return `${request.method ?? 'UNKNOWN'} ${path ?? ''}`;
}
