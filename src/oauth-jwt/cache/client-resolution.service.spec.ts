import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';
import type { OAuthPrincipal } from '../principal.interface';
import { resolveOAuthJwtOptions } from '../resolve-options';
import { buildPrincipal } from '../token/build-principal';
import { ClientResolutionService } from './client-resolution.service';

function serviceWith(extra: Partial<OAuthJwtModuleOptions>): ClientResolutionService {
  return new ClientResolutionService(
    resolveOAuthJwtOptions({ issuer: 'https://issuer.test/', audience: 'api', ...extra }),
  );
}

function principalOf(sub: string): OAuthPrincipal {
  return buildPrincipal({ sub, exp: 2e9, tenant: 't1' }, ['scope'], 5, 0);
}

/** resolve() answers synchronously when it can; this turns every answer (and throw) into a promise. */
function resolved(service: ClientResolutionService, principal: OAuthPrincipal): Promise<unknown> {
  return Promise.resolve().then(() => service.resolve(principal));
}

describe('ClientResolutionService', () => {
  it('resolves nothing when no resolver is configured', async () => {
    await expect(resolved(serviceWith({}), principalOf('partner-a'))).resolves.toBeUndefined();
  });

  it('passes the client id (Auth0 suffix removed) and the claims to the resolver', async () => {
    const resolver = jest.fn(() => ({ name: 'Partner A' }));
    const principal = principalOf('partner-a@clients');
    await expect(resolved(serviceWith({ clientResolver: resolver }), principal)).resolves.toEqual({
      name: 'Partner A',
    });
    expect(resolver).toHaveBeenCalledWith('partner-a', principal.claims);
  });

  it('asks the resolver once per client id within the cache ttl', async () => {
    const resolver = jest.fn((clientId: string) => Promise.resolve({ clientId }));
    const service = serviceWith({ clientResolver: resolver });
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-b'));
    expect(resolver.mock.calls.map(([clientId]) => clientId)).toEqual(['partner-a', 'partner-b']);
  });

  it('asks the resolver every time with clientCache.ttlSeconds 0', async () => {
    const resolver = jest.fn(() => 'partner');
    const service = serviceWith({ clientResolver: resolver, clientCache: { ttlSeconds: 0 } });
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-a'));
    expect(resolver).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
  ])('refuses a client the resolver answers %s for with 403 unknown_partner', async (_l, value) => {
    const service = serviceWith({ clientResolver: () => value });
    await expect(resolved(service, principalOf('stranger'))).rejects.toMatchObject({
      reason: 'unknown_partner',
      status: 403,
    });
  });

  it('does not cache an unknown partner, so a newly registered one works at once', async () => {
    const registered = new Set<string>();
    const service = serviceWith({
      clientResolver: (clientId: string) => (registered.has(clientId) ? { clientId } : undefined),
    });
    await expect(resolved(service, principalOf('newcomer'))).rejects.toMatchObject({
      reason: 'unknown_partner',
    });
    registered.add('newcomer');
    await expect(resolved(service, principalOf('newcomer'))).resolves.toEqual({
      clientId: 'newcomer',
    });
  });

  it('answers synchronously without a resolver, from the cache, and for a synchronous resolver', () => {
    expect(serviceWith({}).resolve(principalOf('partner-a'))).toBeUndefined();
    const service = serviceWith({ clientResolver: (clientId: string) => ({ clientId }) });
    expect(service.resolve(principalOf('partner-a'))).toEqual({ clientId: 'partner-a' });
    expect(service.resolve(principalOf('partner-a'))).toEqual({ clientId: 'partner-a' });
  });

  it('answers a promise for an asynchronous resolver, then synchronously from the cache', async () => {
    const service = serviceWith({
      clientResolver: (clientId: string) => Promise.resolve({ clientId }),
    });
    const first = service.resolve(principalOf('partner-a'));
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toEqual({ clientId: 'partner-a' });
    expect(service.resolve(principalOf('partner-a'))).toEqual({ clientId: 'partner-a' });
  });
});
