import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerTokenException } from '../errors/bearer-token.exception';
import type { OAuthPrincipal } from '../principal.interface';
import { missingScopes } from '../token/scopes';
import { RouteMetadataCache } from './route-metadata.cache';
import {
  readScopeRequirements,
  requirePrincipal,
  type ScopeRequirements,
} from './route-requirements';

/**
 * Compares `@RequireScopes` / `@RequireAnyScope` metadata (controller and handler merged) with the
 * principal's scopes. Runs after JwtAuthGuard; a route with requirements but no principal is 401.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  private readonly requirements = new RouteMetadataCache<ScopeRequirements | null>((targets) => {
    const requirements = readScopeRequirements(this.reflector, targets);
    return requirements.required.length === 0 && requirements.anyOf.length === 0
      ? null
      : requirements;
  });

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirements = this.requirements.get(context);
    if (requirements === null) return true;
    const principal = this.principalOf(context);
    const { required, anyOf } = requirements;
    if (missingScopes(principal.scopes, required).length > 0) {
      throw new BearerTokenException('insufficient_scope', { requiredScopes: required });
    }
    for (const group of anyOf) {
      if (!group.some((scope) => principal.scopes.includes(scope))) {
        throw new BearerTokenException('insufficient_scope', { requiredScopes: group });
      }
    }
    return true;
  }

  protected principalOf(context: ExecutionContext): OAuthPrincipal {
    return requirePrincipal(context);
  }
}
