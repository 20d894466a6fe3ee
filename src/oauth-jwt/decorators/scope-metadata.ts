import { SCOPE_TOKEN } from '../token/scopes';

/**
 * Appends to a list kept as metadata on a class or method, so stacked decorators add up instead
 * of the last one silently replacing the others.
 */
export function appendMetadata(
  key: string,
  items: readonly unknown[],
): ClassDecorator & MethodDecorator {
  return (target: object, _property?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor ? (descriptor.value as object) : target;
    const existing = (Reflect.getOwnMetadata(key, holder) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(key, [...existing, ...items], holder);
  };
}

/** Scopes go verbatim into `WWW-Authenticate`: check them where they are declared (start-up). */
export function assertScopeTokens(decorator: string, scopes: readonly string[]): void {
  if (scopes.length === 0) throw new Error(`${decorator}() needs at least one scope`);
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new Error(
        `${decorator}(): ${JSON.stringify(scope)} is not a valid scope (RFC 6749 §3.3)`,
      );
    }
  }
}
