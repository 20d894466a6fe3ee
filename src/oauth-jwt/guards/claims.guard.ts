import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ClaimRequirement } from '../decorators/require-claim.decorator';
import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims } from '../principal.interface';
import { RouteMetadataCache } from './route-metadata.cache';
import { readClaimRequirements, requirePrincipal } from './route-requirements';

/** Checks `@RequireClaim` metadata (controller and handler merged) against the verified claims. */
@Injectable()
export class ClaimsGuard implements CanActivate {
  private readonly requirements = new RouteMetadataCache((targets) =>
    readClaimRequirements(this.reflector, targets),
  );

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirements = this.requirements.get(context);
    if (requirements.length === 0) return true;
    const principal = requirePrincipal(context);
    if (!requirements.every((requirement) => meets(principal.claims, requirement))) {
      throw new BearerTokenException('claim_requirement');
    }
    return true;
  }
}

function meets(claims: JwtClaims, { name, value }: ClaimRequirement): boolean {
  if (!Object.prototype.hasOwnProperty.call(claims, name)) return false;
  const claim = claims[name];
  if (value === undefined) return claim !== null && claim !== undefined;
  return claim === value || (Array.isArray(claim) && claim.includes(value));
}
