import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REQUEST_CLIENT } from '../oauth-jwt.constants';

/**
 * The calling partner, as the configured client resolver returned it for the token's `sub`.
 * Resolved once per request by JwtAuthGuard; undefined on `@Public()` routes or without a resolver.
 */
export const Client = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<Record<symbol, unknown>>()[REQUEST_CLIENT],
);
