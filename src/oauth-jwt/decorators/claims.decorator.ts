import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { OAuthPrincipal } from '../principal.interface';

/** The verified token claims (`@Claims()`), or one of them (`@Claims('client_id')`). */
export const Claims = createParamDecorator(
  (name: string | undefined, context: ExecutionContext): unknown => {
    const claims = context.switchToHttp().getRequest<{ user?: OAuthPrincipal }>().user?.claims;
    if (name === undefined) return claims;
    return claims && Object.prototype.hasOwnProperty.call(claims, name) ? claims[name] : undefined;
  },
);
