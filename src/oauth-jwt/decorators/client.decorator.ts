import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REQUEST_CLIENT } from '../oauth-jwt.constants';

/**
 * The calling partner of a request JwtAuthGuard admitted, as the configured client resolver
 * returned it; undefined on `@Public()` routes, without a resolver, or before the guard ran.
 * For code outside a handler (a later guard, an interceptor, a rate limiter).
 */
export function getClient(request: object): unknown {
  return (request as Record<symbol, unknown>)[REQUEST_CLIENT];
}

/**
 * The calling partner, as the configured client resolver returned it for the token's `sub`.
 * Resolved once per request by JwtAuthGuard; undefined on `@Public()` routes or without a resolver.
 */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): unknown =>
  getClient(context.getArgByIndex<object>(0)),
);
