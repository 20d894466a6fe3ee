import { Reflector } from '@nestjs/core';
import { ANY_SCOPES_KEY, REQUIRED_SCOPES_KEY } from '../oauth-jwt.constants';
import { RequireAnyScope, RequireScopes } from './require-scopes.decorator';

const reflector = new Reflector();

describe('RequireScopes / RequireAnyScope', () => {
  it('store scopes on the handler and the class separately', () => {
    @RequireScopes('list:users')
    class Controller {
      @RequireScopes('read:users', 'write:users')
      handler(): void {
        return undefined;
      }
    }
    expect(reflector.get(REQUIRED_SCOPES_KEY, Controller)).toEqual(['list:users']);
    expect(reflector.get(REQUIRED_SCOPES_KEY, Controller.prototype.handler)).toEqual([
      'read:users',
      'write:users',
    ]);
  });

  it('append stacked decorators instead of replacing them', () => {
    class Controller {
      @RequireScopes('a')
      @RequireScopes('b')
      @RequireAnyScope('x', 'y')
      @RequireAnyScope('z')
      handler(): void {
        return undefined;
      }
    }
    expect(reflector.get(REQUIRED_SCOPES_KEY, Controller.prototype.handler)).toEqual(['b', 'a']);
    expect(reflector.get(ANY_SCOPES_KEY, Controller.prototype.handler)).toEqual([
      ['z'],
      ['x', 'y'],
    ]);
  });

  it.each([
    ['RequireScopes', () => RequireScopes(), 'RequireScopes() needs at least one scope'],
    ['RequireAnyScope', () => RequireAnyScope(), 'RequireAnyScope() needs at least one scope'],
  ])('%s() without scopes throws at decoration time', (_name, decorate, message) => {
    expect(decorate).toThrow(new Error(message));
  });

  it.each([
    ['', '""'],
    ['read users', '"read users"'],
    ['read\tusers', '"read\\tusers"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['lesen:benutzer:ä', '"lesen:benutzer:ä"'],
  ])('refuses the invalid scope %j when the class is declared', (scope, shown) => {
    const declare = () => {
      class Controller {
        @RequireScopes('ok', scope)
        handler(): void {
          return undefined;
        }
      }
      return Controller;
    };
    expect(declare).toThrow(
      new Error(`RequireScopes(): ${shown} is not a valid scope (RFC 6749 §3.3)`),
    );
    expect(() => RequireAnyScope(scope)).toThrow(
      new Error(`RequireAnyScope(): ${shown} is not a valid scope (RFC 6749 §3.3)`),
    );
  });

  it('refuses a scope that is not a string', () => {
    expect(() => RequireScopes(42 as unknown as string)).toThrow(
      new Error('RequireScopes(): 42 is not a valid scope (RFC 6749 §3.3)'),
    );
  });
});
