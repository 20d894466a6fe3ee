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
