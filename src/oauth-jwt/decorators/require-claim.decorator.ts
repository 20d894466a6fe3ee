import { REQUIRED_CLAIMS_KEY } from '../oauth-jwt.constants';
import { appendMetadata } from './append-metadata';

/** A claim the token must carry: present, or equal to `value` (or, for an array claim, contain it). */
export interface ClaimRequirement {
  readonly name: string;
  readonly value?: string | number | boolean;
}

/**
 * Requires a claim: `@RequireClaim('tenant')` (present) or `@RequireClaim('tier', 'gold')`
 * (equal, or contained in an array claim). Controller and handler requirements add up.
 * A failed requirement answers 403, not 401: the token is valid, it just does not qualify.
 */
export function RequireClaim(
  name: string,
  value?: string | number | boolean,
): ClassDecorator & MethodDecorator {
  if (typeof name !== 'string' || name.length === 0)
    throw new Error('RequireClaim() needs a claim name');
  const requirement: ClaimRequirement = value === undefined ? { name } : { name, value };
  return appendMetadata(REQUIRED_CLAIMS_KEY, [Object.freeze(requirement)]);
}
