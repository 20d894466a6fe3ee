import type { ExecutionContext, INestApplication } from '@nestjs/common';
import { JwtAuthGuard } from '../../src/oauth-jwt';
import { REQUEST_CLIENT } from '../../src/oauth-jwt/oauth-jwt.constants';

type Request = { user?: unknown; [REQUEST_CLIENT]?: unknown };
/** The guard's protected step this reads (the route's `@Public()`, cached per handler). */
type PublicStep = { isPublic(context: ExecutionContext): boolean };

/**
 * Makes the app's JwtAuthGuard the cheapest guard that still feeds `@Client()`: the first guarded
 * request is verified as usual, every later one only gets that request's principal and partner put
 * on it (no header read, no look-up). The sample app with it is the ceiling of any guard on
 * `GET /partners/me`: what is left is Nest's (the route's parameter pipeline, ScopesGuard and
 * ClaimsGuard) and the HTTP framework's.
 */
export function admitOnly(app: INestApplication): void {
  const guard = app.get(JwtAuthGuard);
  const verify = guard.canActivate.bind(guard);
  const isPublic = (context: ExecutionContext) =>
    (guard as unknown as PublicStep).isPublic(context);
  let admitted: Required<Request> | undefined;
  guard.canActivate = (context) => {
    if (isPublic(context)) return true;
    const request = context.getArgByIndex<Request>(0);
    if (admitted) {
      request.user = admitted.user;
      request[REQUEST_CLIENT] = admitted[REQUEST_CLIENT];
      return true;
    }
    const keep = () => {
      if (request.user === undefined) return;
      admitted = { user: request.user, [REQUEST_CLIENT]: request[REQUEST_CLIENT] };
    };
    const verdict = verify(context);
    if (verdict instanceof Promise) return verdict.finally(keep);
    keep();
    return verdict;
  };
}
