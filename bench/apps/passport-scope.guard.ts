import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_SPEC, type AppSpec } from './app-spec';

/** The tutorial's permissions guard: the verified payload's `scope` must include the route's. */
@Injectable()
export class HandWrittenScopeGuard implements CanActivate {
  constructor(@Inject(APP_SPEC) private readonly spec: AppSpec) {}

  canActivate(context: ExecutionContext): boolean {
    const { user } = context.switchToHttp().getRequest<{ user?: { scope?: unknown } }>();
    const scope = user?.scope;
    return typeof scope === 'string' && scope.split(' ').includes(this.spec.scope);
  }
}
