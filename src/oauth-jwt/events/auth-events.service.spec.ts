import { Logger } from '@nestjs/common';
import { BearerTokenException } from '../errors/bearer-token.exception';
import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';
import { AUTH_EVENT_NAMES, type AuthEvent } from './auth-event.interface';
import { AuthEventsService } from './auth-events.service';

const BASE: OAuthJwtModuleOptions = {
  issuer: 'https://issuer.test',
  audience: 'https://api.test',
  jwksUri: 'https://issuer.test/jwks',
};

const principal: OAuthPrincipal = {
  subject: 'partner-a',
  clientId: 'partner-a',
  scopes: ['list:users'],
  claims: { sub: 'partner-a' },
  expiresAt: 2_000_000_000,
};

function service(extra: Partial<OAuthJwtModuleOptions> = {}): AuthEventsService {
  return new AuthEventsService(resolveOAuthJwtOptions({ ...BASE, ...extra }));
}

describe('AuthEventsService', () => {
  let debug: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('sends a refusal to the hook and the emitter with its reason, status, route and partner', () => {
    const hook = jest.fn<undefined, [AuthEvent]>();
    const emit = jest.fn();
    const request = {
      method: 'GET',
      url: '/users?access_token=secret',
      route: { path: '/users' },
      user: principal,
    };
    service({ onAuthEvent: hook, eventEmitter: { emit } }).refused(
      new BearerTokenException('insufficient_scope', { requiredScopes: ['list:users'] }),
      request,
    );
    const expected = {
      type: 'refused',
      reason: 'insufficient_scope',
      status: 403,
      clientId: 'partner-a',
      route: 'GET /users',
      timestamp: Date.parse('2026-01-01T00:00:00Z'),
    };
    expect(hook).toHaveBeenCalledWith(expected);
    expect(emit).toHaveBeenCalledWith(AUTH_EVENT_NAMES.refused, expected);
  });

  it('names the Fastify route pattern and never the raw URL with its query', () => {
    const hook = jest.fn<undefined, [AuthEvent]>();
    service({ onAuthEvent: hook }).refused(new BearerTokenException('token_in_query'), {
      method: 'GET',
      url: '/users/42?access_token=eyJhbGciOi',
      routeOptions: { url: '/users/:id' },
    });
    expect(hook.mock.calls[0]?.[0]).toMatchObject({ route: 'GET /users/:id', clientId: undefined });
  });

  it('falls back to the path without the query string when no route pattern is known', () => {
    const hook = jest.fn<undefined, [AuthEvent]>();
    service({ onAuthEvent: hook }).refused(new BearerTokenException('missing_token'), {
      method: 'POST',
      url: '/x?access_token=abc',
    });
    expect(hook.mock.calls[0]?.[0]).toMatchObject({ route: 'POST /x' });
  });

  it('emits successes only when someone listens', () => {
    const emit = jest.fn();
    service().authenticated(principal, { method: 'GET', route: { path: '/users' } }, true);
    service({ eventEmitter: { emit } }).authenticated(
      principal,
      { method: 'GET', route: { path: '/users' } },
      true,
    );
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit).toHaveBeenCalledWith(AUTH_EVENT_NAMES.authenticated, {
      type: 'authenticated',
      clientId: 'partner-a',
      subject: 'partner-a',
      route: 'GET /users',
      cached: true,
      timestamp: Date.parse('2026-01-01T00:00:00Z'),
    });
  });

  it('logs routine refusals at debug and the others at warn, one line each, without the token', () => {
    const events = service();
    events.refused(new BearerTokenException('expired'), { method: 'GET', url: '/users' });
    events.refused(new BearerTokenException('bad_signature'), { method: 'GET', url: '/users' });
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug).toHaveBeenCalledWith('refused GET /users status=401 reason=expired');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('refused GET /users status=401 reason=bad_signature');
  });

  it('does not log when logRefusals is false', () => {
    service({ logRefusals: false }).refused(new BearerTokenException('bad_signature'), {});
    expect(warn).not.toHaveBeenCalled();
  });

  it('survives a listener that throws', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const events = service({
      onAuthEvent: () => {
        throw new Error('listener broke with eyJsecret');
      },
    });
    expect(() => {
      events.refused(new BearerTokenException('expired'), {});
    }).not.toThrow();
    expect(error).toHaveBeenCalledWith('auth event listener failed: Error');
  });
});
