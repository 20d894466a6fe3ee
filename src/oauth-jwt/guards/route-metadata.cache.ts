import type { ExecutionContext } from '@nestjs/common';
import type { RouteTargets } from './route-requirements';

/**
 * Memoizes what a guard derives from a route's metadata, per (controller class, handler): the
 * metadata is fixed once the app is built, and reading it through Reflector on every request is
 * a measurable share of a warm request. Keyed by both, since subclassed controllers share handlers.
 */
export class RouteMetadataCache<T> {
  private readonly byClass = new WeakMap<object, WeakMap<object, T>>();

  constructor(private readonly derive: (targets: RouteTargets) => T) {}

  get(context: ExecutionContext): T {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.byClass.set(controller, byHandler);
    }
    let value = byHandler.get(handler);
    if (value === undefined) {
      value = this.derive([handler, controller]);
      byHandler.set(handler, value);
    }
    return value;
  }
}
