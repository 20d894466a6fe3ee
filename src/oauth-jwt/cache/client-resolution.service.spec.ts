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

describe('ClientResolutionService', () => {
  it('resolves nothing when no resolver is configured', async () => {
    await expect(serviceWith({}).resolve(principalOf('partner-a'))).resolves.toBeUndefined();
  });

  it('passes the client id (Auth0 suffix removed) and the claims to the resolver', async () => {
    const resolver = jest.fn(() => ({ name: 'Partner A' }));
    const principal = principalOf('partner-a@clients');
    await expect(serviceWith({ clientResolver: resolver }).resolve(principal)).resolves.toEqual({
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
    await expect(service.resolve(principalOf('stranger'))).rejects.toMatchObject({
      reason: 'unknown_partner',
      status: 403,
    });
  });

  it('does not cache an unknown partner, so a newly registered one works at once', async () => {
    const registered = new Set<string>();
    const service = serviceWith({
      clientResolver: (clientId: string) => (registered.has(clientId) ? { clientId } : undefined),
    });
    await expect(service.resolve(principalOf('newcomer'))).rejects.toMatchObject({
      reason: 'unknown_partner',
    });
    registered.add('newcomer');
    await expect(service.resolve(principalOf('newcomer'))).resolves.toEqual({
      clientId: 'newcomer',
    });
  });
});
