import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ClaimRequirement } from '../decorators/require-claim.decorator';
import { BearerTokenException } from '../errors/bearer-token.exception';
import {
  ANY_SCOPES_KEY,
  IS_PUBLIC_KEY,
  REQUIRED_CLAIMS_KEY,
  REQUIRED_SCOPES_KEY,
} from '../oauth-jwt.constants';
import type { OAuthPrincipal } from '../principal.interface';

/** What Reflector reads a route's metadata from: its handler, then its controller class. */
export type RouteTargets = [
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: ReturnType<ExecutionContext['getClass']>,
];

/** A route's scope requirements: all of `required`, and at least one of each `anyOf` group. */
export interface ScopeRequirements {
  readonly required: readonly string[];
  readonly anyOf: readonly (readonly string[])[];
}

/*
 * How a route's decorators are read, in one place, so the guards that enforce them and the
 * OpenAPI document that describes them can never disagree.
 */

/** `@Public()` on the handler or, failing that, the controller. */
export function readIsPublic(reflector: Reflector, targets: RouteTargets): boolean {
  return reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true;
}

/** `@RequireScopes` / `@RequireAnyScope` of handler and controller, merged. */
export function readScopeRequirements(
  reflector: Reflector,
  targets: RouteTargets,
): ScopeRequirements {
  return {
    required: [...new Set(reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets))],
    anyOf: reflector.getAllAndMerge<(readonly string[])[]>(ANY_SCOPES_KEY, targets),
  };
}

/** `@RequireClaim` of handler and controller, merged. */
export function readClaimRequirements(
  reflector: Reflector,
  targets: RouteTargets,
): ClaimRequirement[] {
  return reflector.getAllAndMerge<ClaimRequirement[]>(REQUIRED_CLAIMS_KEY, targets);
}

/** The principal JwtAuthGuard put on the request; a route with requirements but none is 401. */
export function requirePrincipal(context: ExecutionContext): OAuthPrincipal {
  const principal =
    context.getType() === 'http'
      ? context.getArgByIndex<{ user?: OAuthPrincipal }>(0).user
      : undefined;
  if (!principal) throw new BearerTokenException('missing_token');
  return principal;
}
