import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';

/** The minimal guards' request: its headers, and where they put what they verified. */
export interface GuardedRequest {
  headers: Record<string, unknown>;
  user?: unknown;
}

/** The request and its `Bearer <token>`, as the minimal bench guards read it (401 otherwise). */
export function bearerTokenOf(context: ExecutionContext): [GuardedRequest, string] {
  const request = context.switchToHttp().getRequest<GuardedRequest>();
  const header = request.headers['authorization'];
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
    throw new UnauthorizedException();
  }
  return [request, header.slice('Bearer '.length)];
}
