import type { ExecutionContext, INestApplication } from '@nestjs/common';
import { JwtAuthGuard } from '../../src/oauth-jwt';
import { VerifiedTokenCache } from '../../src/oauth-jwt/cache/verified-token.cache';
import { REQUEST_CLIENT } from '../../src/oauth-jwt/oauth-jwt.constants';
import type { OAuthPrincipal } from '../../src/oauth-jwt/principal.interface';

/**
 * The sample app with one step of its JwtAuthGuard changed, to take the guarded request's cost
 * apart over HTTP (each runs as its own app in the rounds, beside the real one):
 * - `token-as-key`: the verified-token cache found by the token itself in a Map (what a cache
 *   holding bearer tokens would pay: V8 hashes the whole string) instead of its SHA-256 digest;
 * - `no-token-lookup`: the token cache answers the bench token's principal without any look-up;
 * - `admit-only`: the guard only puts the first request's principal and partner on each later
 *   request (no header read, no look-up): the ceiling of any guard on the route.
 * The first guarded request always runs the real guard, which caches what the variants reuse.
 */
export const SAMPLE_VARIANTS = ['token-as-key', 'no-token-lookup', 'admit-only'] as const;
export type SampleVariant = (typeof SAMPLE_VARIANTS)[number];

export function applySampleVariant(app: INestApplication, variant: SampleVariant): void {
  if (variant === 'admit-only') admitOnly(app.get(JwtAuthGuard));
  else changeTokenLookUp(app.get(VerifiedTokenCache), variant);
}

function changeTokenLookUp(tokens: VerifiedTokenCache, variant: SampleVariant): void {
  const lookUp = tokens.get.bind(tokens);
  const byToken = new Map<string, OAuthPrincipal>();
  let first: OAuthPrincipal | undefined;
  tokens.get = (token) => {
    if (variant === 'no-token-lookup') return (first ??= lookUp(token));
    let found = byToken.get(token);
    if (!found) {
      found = lookUp(token);
      if (found) byToken.set(token, found);
    }
    return found;
  };
}

type Request = { user?: unknown; [REQUEST_CLIENT]?: unknown };
/** The guard's protected step this reads (the route's `@Public()`, cached per handler). */
type PublicStep = { isPublic(context: ExecutionContext): boolean };

function admitOnly(guard: JwtAuthGuard): void {
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
