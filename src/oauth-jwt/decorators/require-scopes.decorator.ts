import { ANY_SCOPES_KEY, REQUIRED_SCOPES_KEY } from '../oauth-jwt.constants';
import { SCOPE_TOKEN } from '../token/scopes';
import { appendMetadata } from './append-metadata';

/**
 * Requires every listed scope. On a controller and on a handler, both apply (they add up), as do
 * stacked decorators. A missing scope answers 403 `insufficient_scope` with `scope="..."`.
 */
export function RequireScopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  assertScopeTokens('RequireScopes', scopes);
  return appendMetadata(REQUIRED_SCOPES_KEY, scopes);
}

/** Requires at least one of the listed scopes. Several of these on a route must each be met. */
export function RequireAnyScope(...scopes: string[]): ClassDecorator & MethodDecorator {
  assertScopeTokens('RequireAnyScope', scopes);
  return appendMetadata(ANY_SCOPES_KEY, [Object.freeze([...scopes])]);
}

/** Scopes go verbatim into `WWW-Authenticate`: check them where they are declared (start-up). */
function assertScopeTokens(decorator: string, scopes: readonly string[]): void {
  if (scopes.length === 0) throw new Error(`${decorator}() needs at least one scope`);
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new Error(
        `${decorator}(): ${JSON.stringify(scope)} is not a valid scope (RFC 6749 §3.3)`,
      );
    }
  }
}
