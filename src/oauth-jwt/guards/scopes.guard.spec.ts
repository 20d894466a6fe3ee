import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RequireAnyScope, RequireScopes } from '../decorators/require-scopes.decorator';
import { refusalOf } from '../errors/bearer-refusal.spec-helper';
import type { OAuthPrincipal } from '../principal.interface';
import { buildPrincipal } from '../token/build-principal';
import { ScopesGuard } from './scopes.guard';

@RequireScopes('list:users')
class UsersController {
  @RequireScopes('read:users')
  read(): void {
    return undefined;
  }

  @RequireScopes('a')
  @RequireScopes('b', 'a')
  stacked(): void {
    return undefined;
  }

  @RequireScopes('list:users')
  repeated(): void {
    return undefined;
  }

  @RequireAnyScope('x', 'y')
  @RequireAnyScope('z')
  groups(): void {
    return undefined;
  }

  inheritsClass(): void {
    return undefined;
  }
}

@RequireScopes('admin')
class AdminUsersController extends UsersController {}

class OpenController {
  list(): void {
    return undefined;
  }
}

@RequireAnyScope('p', 'q')
class AnyOfController {
  @RequireScopes('r')
  both(): void {
    return undefined;
  }
}

type Handler = (...args: never[]) => unknown;

function principalWith(scopes: string[]): OAuthPrincipal {
  return buildPrincipal({ sub: 'partner-a', exp: 2e9, scope: scopes.join(' ') }, ['scope'], 5, 0);
}

function contextFor(
  controller: object,
  handler: Handler,
  user?: OAuthPrincipal,
  type: 'http' | 'rpc' | 'ws' = 'http',
): ExecutionContext {
  const request = user === undefined ? {} : { user };
  const context = new ExecutionContextHost(
    [request, {}, () => undefined],
    controller as never,
    handler,
  );
  context.setType(type);
  return context;
}

const guard = new ScopesGuard(new Reflector());

function refusalFor(context: ExecutionContext) {
  const refusal = refusalOf(() => guard.canActivate(context));
  return {
    reason: refusal.reason,
    status: refusal.getStatus(),
    requiredScopes: refusal.requiredScopes,
  };
}

const proto = UsersController.prototype;

describe('ScopesGuard', () => {
  it('lets a route without requirements through, even without a principal', () => {
    expect(guard.canActivate(contextFor(OpenController, OpenController.prototype.list))).toBe(true);
  });

  it('requires the controller scopes and the handler scopes together', () => {
    const context = (scopes: string[]) =>
      contextFor(UsersController, proto.read, principalWith(scopes));
    expect(guard.canActivate(context(['list:users', 'read:users']))).toBe(true);
    expect(refusalFor(context(['read:users']))).toEqual({
      reason: 'insufficient_scope',
      status: 403,
      requiredScopes: ['read:users', 'list:users'],
    });
    expect(refusalFor(context(['list:users']))).toMatchObject({
      requiredScopes: ['read:users', 'list:users'],
    });
  });

  it('applies controller scopes to a handler without its own', () => {
    expect(
      refusalFor(contextFor(UsersController, proto.inheritsClass, principalWith(['read:users']))),
    ).toMatchObject({ requiredScopes: ['list:users'] });
  });

  it('adds up stacked decorators and names each required scope once', () => {
    const context = (scopes: string[]) =>
      contextFor(UsersController, proto.stacked, principalWith(scopes));
    expect(guard.canActivate(context(['a', 'b', 'list:users']))).toBe(true);
    expect(refusalFor(context(['a', 'list:users']))).toMatchObject({
      reason: 'insufficient_scope',
      requiredScopes: ['b', 'a', 'list:users'],
    });
  });

  it('names a scope required on both controller and handler once', () => {
    expect(
      refusalFor(contextFor(UsersController, proto.repeated, principalWith([]))),
    ).toMatchObject({ requiredScopes: ['list:users'] });
  });

  it('needs one scope of every RequireAnyScope group', () => {
    const context = (scopes: string[]) =>
      contextFor(UsersController, proto.groups, principalWith(['list:users', ...scopes]));
    expect(guard.canActivate(context(['x', 'z']))).toBe(true);
    expect(guard.canActivate(context(['y', 'z']))).toBe(true);
    expect(refusalFor(context(['x', 'y']))).toEqual({
      reason: 'insufficient_scope',
      status: 403,
      requiredScopes: ['z'],
    });
    expect(refusalFor(context(['z']))).toMatchObject({ requiredScopes: ['x', 'y'] });
  });

  it('combines a controller RequireAnyScope with handler RequireScopes', () => {
    const context = (scopes: string[]) =>
      contextFor(AnyOfController, AnyOfController.prototype.both, principalWith(scopes));
    expect(guard.canActivate(context(['q', 'r']))).toBe(true);
    expect(refusalFor(context(['r']))).toMatchObject({ requiredScopes: ['p', 'q'] });
    expect(refusalFor(context(['p']))).toMatchObject({ requiredScopes: ['r'] });
  });

  it('reads requirements per controller when a subclass shares the handler', () => {
    const user = principalWith(['read:users', 'list:users']);
    expect(guard.canActivate(contextFor(UsersController, proto.read, user))).toBe(true);
    expect(refusalFor(contextFor(AdminUsersController, proto.read, user))).toMatchObject({
      requiredScopes: ['read:users', 'admin'],
    });
    expect(guard.canActivate(contextFor(UsersController, proto.read, user))).toBe(true);
  });

  it('compares whole scopes: read:users:all does not grant read:users', () => {
    expect(
      refusalFor(
        contextFor(UsersController, proto.read, principalWith(['list:users', 'read:users:all'])),
      ),
    ).toMatchObject({ requiredScopes: ['read:users', 'list:users'] });
  });

  it('answers 401 missing_token on a route with requirements but no principal', () => {
    expect(refusalFor(contextFor(UsersController, proto.read))).toEqual({
      reason: 'missing_token',
      status: 401,
      requiredScopes: [],
    });
  });

  it('answers 401 missing_token outside HTTP, where no principal can be read', () => {
    const user = principalWith(['read:users', 'list:users']);
    expect(refusalFor(contextFor(UsersController, proto.read, user, 'rpc'))).toMatchObject({
      reason: 'missing_token',
    });
  });
});
