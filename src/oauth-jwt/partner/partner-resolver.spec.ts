import { Logger } from '@nestjs/common';
import type { ClientResolveFn } from '../client-resolver.interface';
import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';
import type { JwtClaims, OAuthPrincipal } from '../principal.interface';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { resolveOAuthJwtOptions } from '../resolve-options';
import { buildPrincipal, GENERIC_RULES } from '../token/build-principal';
import { PROFILE_RULES } from '../token/provider-profiles';
import { PartnerCache, type PartnerCacheEntry } from './partner-cache';
import { PartnerResolver } from './partner-resolver';

/** A verdict answered synchronously (not a promise). */
function sync(
  verdict: PartnerCacheEntry | undefined | Promise<PartnerCacheEntry>,
): PartnerCacheEntry | undefined {
  if (verdict instanceof Promise) throw new Error('expected a synchronous answer');
  return verdict;
}

/** A resolver over `extra` options and the cache it fills (for the tests that evict). */
function resolverAndCache(extra: Partial<OAuthJwtModuleOptions>): {
  service: PartnerResolver;
  cache: PartnerCache;
} {
  const options = resolveOAuthJwtOptions({
    issuer: 'https://issuer.test/',
    audience: 'api',
    ...extra,
  });
  const cache = new PartnerCache(options);
  return { service: new PartnerResolver(options, cache), cache };
}

function serviceWith(extra: Partial<OAuthJwtModuleOptions>): PartnerResolver {
  return resolverAndCache(extra).service;
}

/** The partner of a verdict (resolve() answers the cache entry). */
function partnerOf(verdict: PartnerCacheEntry | undefined): object | undefined {
  return verdict?.partner;
}

function principalOf(sub: string, tenant = 't1'): OAuthPrincipal {
  return buildPrincipal({ sub, exp: 2e9, tenant, scope: 'list:users read:users' }, ['scope'], 5, 0);
}

/** resolve() answers synchronously when it can; this turns every answer (and throw) into a promise. */
function resolved(service: PartnerResolver, principal: OAuthPrincipal): Promise<unknown> {
  return Promise.resolve()
    .then(() => service.resolve(principal))
    .then(partnerOf);
}

describe('PartnerResolver', () => {
  it('resolves nothing when no resolver is configured', async () => {
    await expect(resolved(serviceWith({}), principalOf('partner-a'))).resolves.toBeUndefined();
  });

  it('passes the client id (Auth0 suffix removed) and the claims to the resolver', async () => {
    const resolver = jest.fn(() => ({ name: 'Partner A' }));
    // The `@clients` suffix is Auth0's: only the auth0 profile removes it.
    const principal = buildPrincipal({ sub: 'partner-a@clients', exp: 2e9 }, ['scope'], 5, 0, {
      ...GENERIC_RULES,
      rules: PROFILE_RULES.auth0,
    });
    await expect(resolved(serviceWith({ clientResolver: resolver }), principal)).resolves.toEqual({
      name: 'Partner A',
    });
    expect(resolver).toHaveBeenCalledWith('partner-a', principal.claims);
  });

  it('asks the resolver once per resolver input (client id and claims) within the cache ttl', async () => {
    const resolver = jest.fn((clientId: string) => Promise.resolve({ clientId }));
    const service = serviceWith({ clientResolver: resolver });
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-b'));
    expect(resolver.mock.calls.map(([clientId]) => clientId)).toEqual(['partner-a', 'partner-b']);
  });

  it('never serves a verdict to a token of the same client whose claims differ (tenant bypass)', async () => {
    const resolver = jest.fn((clientId: string, claims: JwtClaims) =>
      claims['tenant'] === 't1' ? { clientId } : undefined,
    );
    const service = serviceWith({ clientResolver: resolver });
    await expect(resolved(service, principalOf('partner-a', 't1'))).resolves.toEqual({
      clientId: 'partner-a',
    });
    await expect(resolved(service, principalOf('partner-a', 't2'))).rejects.toMatchObject({
      reason: 'unknown_partner',
    });
    expect(resolver).toHaveBeenCalledTimes(2);
  });

  it("with clientCache.keyBy 'clientId', one verdict serves every token of the client", async () => {
    const resolver = jest.fn((clientId: string) => ({ clientId }));
    const service = serviceWith({ clientResolver: resolver, clientCache: { keyBy: 'clientId' } });
    await resolved(service, principalOf('partner-a', 't1'));
    await resolved(service, principalOf('partner-a', 't2'));
    expect(resolver).toHaveBeenCalledTimes(1);
  });

  it('asks the resolver every time with clientCache.ttlSeconds 0', async () => {
    const resolver = jest.fn(() => ({ name: 'partner' }));
    const service = serviceWith({ clientResolver: resolver, clientCache: { ttlSeconds: 0 } });
    await service.resolve(principalOf('partner-a'));
    await service.resolve(principalOf('partner-a'));
    expect(resolver).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['false', false],
    ['0', 0],
    ["''", ''],
    ['true', true],
    ['a string', 'partner-a'],
    ['a number', 1],
  ])('refuses a client the resolver answers %s for with 403 unknown_partner', async (_l, value) => {
    // Untyped JavaScript resolvers: `(id) => ids.includes(id)` is the first one anyone writes.
    const service = serviceWith({ clientResolver: (() => value) as unknown as ClientResolveFn });
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
    expect(partnerOf(sync(service.resolve(principalOf('partner-a'))))).toEqual({
      clientId: 'partner-a',
    });
    expect(partnerOf(sync(service.resolve(principalOf('partner-a'))))).toEqual({
      clientId: 'partner-a',
    });
  });

  it('answers a promise for an asynchronous resolver, then synchronously from the cache', async () => {
    const service = serviceWith({
      clientResolver: (clientId: string) => Promise.resolve({ clientId }),
    });
    const first = service.resolve(principalOf('partner-a'));
    if (!(first instanceof Promise)) throw new Error('expected a promise');
    await expect(first.then(partnerOf)).resolves.toEqual({ clientId: 'partner-a' });
    expect(partnerOf(sync(service.resolve(principalOf('partner-a'))))).toEqual({
      clientId: 'partner-a',
    });
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('connection refused');
      },
    ],
    ['rejects', () => Promise.reject(new Error('connection refused'))],
  ])(
    'answers 503 partner_unavailable with Retry-After when the resolver %s',
    async (_l, resolver) => {
      const service = serviceWith({ clientResolver: resolver });
      await expect(resolved(service, principalOf('partner-a'))).rejects.toMatchObject({
        reason: 'partner_unavailable',
        status: 503,
        retryAfterSeconds: 5,
      });
    },
  );

  it('answers 503 partner_unavailable when the resolver hangs past clientResolverTimeoutMs', async () => {
    const service = serviceWith({
      clientResolver: () => new Promise<never>(() => undefined),
      clientResolverTimeoutMs: 50,
    });
    const started = Date.now();
    await expect(resolved(service, principalOf('partner-a'))).rejects.toMatchObject({
      reason: 'partner_unavailable',
      status: 503,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not cache a failure: the next request asks the resolver again', async () => {
    let down = true;
    const service = serviceWith({
      clientResolver: (clientId: string) =>
        down ? Promise.reject(new Error('down')) : Promise.resolve({ clientId }),
    });
    await expect(resolved(service, principalOf('partner-a'))).rejects.toMatchObject({
      reason: 'partner_unavailable',
    });
    down = false;
    await expect(resolved(service, principalOf('partner-a'))).resolves.toEqual({
      clientId: 'partner-a',
    });
  });

  it("passes the resolver's own BearerTokenException through", async () => {
    const service = serviceWith({
      clientResolver: () => Promise.reject(new BearerTokenException('claim_requirement')),
    });
    await expect(resolved(service, principalOf('partner-a'))).rejects.toMatchObject({
      reason: 'claim_requirement',
      status: 403,
    });
  });

  it('calls the resolver once for concurrent misses of one client', async () => {
    let release: (value: { clientId: string }) => void = () => undefined;
    const resolver = jest.fn(
      () => new Promise<{ clientId: string }>((resolve) => (release = resolve)),
    );
    const service = serviceWith({ clientResolver: resolver, clientCache: { ttlSeconds: 0 } });
    const principal = principalOf('partner-a');
    const answers = Array.from({ length: 20 }, () => resolved(service, principal));
    await Promise.resolve();
    await Promise.resolve();
    release({ clientId: 'partner-a' });
    await expect(Promise.all(answers)).resolves.toHaveLength(20);
    expect(resolver).toHaveBeenCalledTimes(1);
  });

  it('warns at start-up when no resolver is configured, and not when one is', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      serviceWith({}).onModuleInit();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('No clientResolver is configured'));
      warn.mockClear();
      serviceWith({ clientResolver: () => ({}) }).onModuleInit();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  describe('entitlements (what the partner carries, applied on every request)', () => {
    const entitled = (partner: object, principal = principalOf('partner-a')) => {
      const service = serviceWith({ clientResolver: () => partner });
      const verdict = sync(service.resolve(principal));
      if (!verdict) throw new Error('expected a verdict');
      return service.entitle(verdict, principal);
    };

    it('keeps the token scopes as they are when the partner carries no grantedScopes', () => {
      const principal = principalOf('partner-a');
      expect(entitled({ name: 'A' }, principal)).toBe(principal);
    });

    it('keeps only the token scopes the partner is still granted', () => {
      expect(entitled({ grantedScopes: ['read:users', 'create:users'] }).scopes).toEqual([
        'read:users',
      ]);
    });

    it('grants nothing when grantedScopes is not a list (fails closed)', () => {
      expect(entitled({ grantedScopes: 'list:users' }).scopes).toEqual([]);
    });

    it.each(['suspended', 'disabled', 42])(
      'refuses a partner whose status is %j with 403 partner_suspended',
      (status) => {
        expect(() => entitled({ status })).toThrow(
          expect.objectContaining({ reason: 'partner_suspended', status: 403 }),
        );
      },
    );

    it('admits a partner whose status is active', () => {
      expect(entitled({ status: 'active', grantedScopes: ['list:users'] }).scopes).toEqual([
        'list:users',
      ]);
    });

    it('derives the effective principal once per principal and verdict', () => {
      const service = serviceWith({ clientResolver: () => ({ grantedScopes: ['list:users'] }) });
      const principal = principalOf('partner-a');
      const verdict = sync(service.resolve(principal));
      if (!verdict) throw new Error('expected a verdict');
      expect(service.entitle(verdict, principal)).toBe(service.entitle(verdict, principal));
    });
  });

  it('takes a changed verdict (a suspension) within clientCache.ttlSeconds, without eviction', async () => {
    let partner: object = { status: 'active' };
    const service = serviceWith({
      clientResolver: () => partner,
      clientCache: { ttlSeconds: 0.2 },
    });
    const principal = principalOf('partner-a');
    await expect(resolved(service, principal)).resolves.toEqual({ status: 'active' });
    partner = { status: 'suspended' };
    await expect(resolved(service, principal)).resolves.toEqual({ status: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(resolved(service, principal)).resolves.toEqual({ status: 'suspended' });
  });

  describe('PartnerCache.evict (cut a partner off now)', () => {
    it('makes the next request of that client ask the resolver again, and only that client', async () => {
      const answers = new Map<string, object>([
        ['partner-a', { status: 'active' }],
        ['partner-b', { status: 'active' }],
      ]);
      const resolver = jest.fn((clientId: string) => answers.get(clientId));
      const { service, cache } = resolverAndCache({ clientResolver: resolver });
      const a = principalOf('partner-a');
      const b = principalOf('partner-b');
      await resolved(service, a);
      await resolved(service, b);
      answers.set('partner-a', { status: 'suspended' });
      cache.evict('partner-a');
      const verdict = sync(service.resolve(a));
      if (!verdict) throw new Error('expected a verdict');
      expect(() => service.entitle(verdict, a)).toThrow(
        expect.objectContaining({ reason: 'partner_suspended' }),
      );
      await resolved(service, b);
      expect(resolver.mock.calls.map(([clientId]) => clientId)).toEqual([
        'partner-a',
        'partner-b',
        'partner-a',
      ]);
    });

    it('does not let a resolver call started before an eviction fill the cache after it', async () => {
      let release: (partner: object) => void = () => undefined;
      const first = new Promise<object>((resolve) => (release = resolve));
      const resolver = jest
        .fn<Promise<object>, []>()
        .mockReturnValueOnce(first)
        .mockResolvedValue({ status: 'active' });
      const { service, cache } = resolverAndCache({ clientResolver: resolver });
      const pending = resolved(service, principalOf('partner-a'));
      await Promise.resolve();
      cache.evictAll();
      release({ status: 'active' });
      await pending;
      await resolved(service, principalOf('partner-a'));
      expect(resolver).toHaveBeenCalledTimes(2);
    });
  });
});
