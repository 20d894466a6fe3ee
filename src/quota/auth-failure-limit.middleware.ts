import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthFailureCounter } from './auth-failure-counter';
import { KnownCredentials } from './known-credentials';
import { AUTH_FAILURE_POLICY, QUOTA_WINDOW_SECONDS } from './quota.constants';
import { logQuotaRefusal, printable, routeOf } from './quota-refusal';
import { rateLimitField, rateLimitPolicyField } from './rate-limit-headers';

type Request = IncomingMessage & { ip?: string };

const BODY = JSON.stringify({
  statusCode: 429,
  message: 'Too Many Requests: too many failed authentications from this address',
});

/**
 * Limits failed authentications per client IP (AUTH_FAILURE_LIMIT a minute): each 401 counts; once
 * over, a request carrying an Authorization header gets 429 before any token is parsed or any
 * signature checked, unless that header authenticated recently on this instance (KnownCredentials),
 * so a valid token is never locked out by an attacker sharing its address. Requests without a
 * credential are cheap refusals (401 missing_token) and pass. Works on Express and Fastify alike
 * (raw Node request and response).
 */
@Injectable()
export class AuthFailureLimitMiddleware implements NestMiddleware<Request, ServerResponse> {
  constructor(
    private readonly failures: AuthFailureCounter,
    private readonly credentials: KnownCredentials,
  ) {}

  use(request: Request, response: ServerResponse, next: () => void): void {
    const ip = clientIp(request);
    const authorization = request.headers.authorization;
    if (authorization !== undefined && !this.credentials.has(authorization)) {
      const retryAfterSeconds = this.failures.retryAfter(ip);
      if (retryAfterSeconds > 0) {
        this.refuse(request, response, ip, retryAfterSeconds);
        return;
      }
    }
    response.once('finish', () => {
      if (response.statusCode === 401) this.failures.failed(ip);
    });
    next();
  }

  private refuse(request: Request, response: ServerResponse, ip: string, retry: number): void {
    logQuotaRefusal({
      policy: AUTH_FAILURE_POLICY,
      ip: printable(ip),
      route: routeOf(request),
      retryAfterSeconds: retry,
    });
    response.statusCode = 429;
    response.setHeader('Retry-After', String(retry));
    response.setHeader(
      'RateLimit-Policy',
      rateLimitPolicyField(AUTH_FAILURE_POLICY, this.failures.limit, QUOTA_WINDOW_SECONDS),
    );
    response.setHeader('RateLimit', rateLimitField(AUTH_FAILURE_POLICY, 0, retry));
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(BODY);
  }
}

/** Express's `req.ip` honours its `trust proxy` setting; otherwise the peer address. */
function clientIp(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
