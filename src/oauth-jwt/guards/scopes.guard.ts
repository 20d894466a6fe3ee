import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { ANY_SCOPES_KEY, REQUIRED_SCOPES_KEY } from '../oauth-jwt.constants';
import type { OAuthPrincipal } from '../principal.interface';
import { missingScopes } from '../token/scopes';
import { RouteMetadataCache } from './route-metadata.cache';

/** A route's scope requirements: all of `required`, and at least one of each `anyOf` group. */
interface ScopeRequirements {
  readonly required: readonly string[];
  readonly anyOf: readonly (readonly string[])[];
}

/**
 * Compares `@RequireScopes` / `@RequireAnyScope` metadata (controller and handler merged) with the
 * principal's scopes. Runs after JwtAuthGuard; a route with requirements but no principal is 401.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  private readonly requirements = new RouteMetadataCache<ScopeRequirements | null>((targets) => {
    const required = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets);
    const anyOf = this.reflector.getAllAndMerge<(readonly string[])[]>(ANY_SCOPES_KEY, targets);
    if (required.length === 0 && anyOf.length === 0) return null;
    return { required: [...new Set(required)], anyOf };
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
    const principal =
      context.getType() === 'http'
        ? context.switchToHttp().getRequest<{ user?: OAuthPrincipal }>().user
        : undefined;
    if (!principal) throw new BearerTokenException('missing_token');
    return principal;
  }
}
