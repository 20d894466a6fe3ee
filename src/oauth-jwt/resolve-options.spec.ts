import { OAuthJwtConfigurationError } from './errors/oauth-jwt-configuration.error';
import type { OAuthJwtModuleOptions } from './oauth-jwt-options.interface';
import { resolveOAuthJwtOptions } from './resolve-options';

const BASE = { issuer: 'https://issuer.test/', audience: 'https://api.test' } as const;

/** Resolves options given as loose JSON, the way a misconfigured app would pass them. */
function resolve(options: Record<string, unknown>) {
  return resolveOAuthJwtOptions(options);
}

/** The configuration error thrown for `options`, which must name `option`. */
function configErrorOf(options: unknown): OAuthJwtConfigurationError {
  try {
    resolveOAuthJwtOptions(options as OAuthJwtModuleOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthJwtConfigurationError);
    return error as OAuthJwtConfigurationError;
  }
  throw new Error('expected an OAuthJwtConfigurationError, but the options were accepted');
}

describe('resolveOAuthJwtOptions', () => {
  describe('defaults', () => {
    it('fills every option not given with its documented default', () => {
      expect(resolve({ ...BASE })).toEqual({
        issuers: [
          {
            issuer: 'https://issuer.test/',
            audience: ['https://api.test'],
            jwksUri: undefined,
            secret: undefined,
            algorithms: ['RS256'],
            profile: 'generic',
            clientIdClaims: ['sub'],
            scopeClaims: ['scope', 'scp', 'permissions'],
            audienceRule: 'aud',
          },
        ],
        clientCredentialsOnly: true,
        requireRfc9068: false,
        issuer: 'https://issuer.test/',
        audience: ['https://api.test'],
        jwksUri: undefined,
        algorithms: ['RS256'],
        clockToleranceSeconds: 5,
        maxTokenAgeSeconds: undefined,
        realm: 'api',
        scopeClaims: ['scope', 'scp', 'permissions'],
        tokenTypes: ['at+jwt', 'jwt'],
        clientResolver: undefined,
        clientResolverTimeoutMs: 5000,
        keySet: {
          cacheMaxAgeSeconds: 600,
          cooldownSeconds: 30,
          staleMaxAgeSeconds: 3600,
          timeoutMs: 5000,
          maxResponseBytes: 524_288,
          warmUp: false,
        },
        tokenCache: { enabled: true, maxEntries: 10_000, maxBytes: 33_554_432, maxTtlSeconds: 300 },
        clientCache: { ttlSeconds: 5, maxEntries: 1000, keyBy: 'claims' },
        onAuthEvent: undefined,
        eventEmitter: undefined,
        logRefusals: true,
        validationFingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
    });

    it('returns deeply frozen options', () => {
      const resolved = resolve({ ...BASE, audience: ['a', 'b'] });
      expect(Object.isFrozen(resolved)).toBe(true);
      expect(Object.isFrozen(resolved.audience)).toBe(true);
      expect(Object.isFrozen(resolved.algorithms)).toBe(true);
      expect(Object.isFrozen(resolved.scopeClaims)).toBe(true);
      expect(Object.isFrozen(resolved.tokenTypes)).toBe(true);
      expect(Object.isFrozen(resolved.keySet)).toBe(true);
      expect(Object.isFrozen(resolved.tokenCache)).toBe(true);
      expect(Object.isFrozen(resolved.clientCache)).toBe(true);
    });

    it('keeps every valid value given, within the documented ranges', () => {
      const given = {
        issuer: 'http://localhost:8080/tenant-a',
        audience: ['api-1', 'api-2', 'api-1'],
        jwksUri: 'https://keys.test/jwks.json?tenant=a',
        algorithms: ['ES256', 'PS384', 'RS512'],
        clockToleranceSeconds: 0,
        maxTokenAgeSeconds: 31_536_000,
        realm: 'partner api',
        scopeClaims: ['scp'],
        tokenTypes: ['AT+JWT'],
        keySet: {
          cacheMaxAgeSeconds: 86_400,
          cooldownSeconds: 0,
          staleMaxAgeSeconds: 604_800,
          timeoutMs: 60_000,
          maxResponseBytes: 1024,
          warmUp: true,
        },
        tokenCache: { enabled: false, maxEntries: 1, maxBytes: 65_536, maxTtlSeconds: 86_400 },
        clientCache: { ttlSeconds: 0, maxEntries: 10_000_000, keyBy: 'clientId' },
      } satisfies OAuthJwtModuleOptions;
      // Kept as given, but for the audience (deduplicated) and token types (lower-cased).
      expect(resolve(given)).toMatchObject({
        ...given,
        audience: ['api-1', 'api-2'],
        tokenTypes: ['at+jwt'],
      });
    });

    it('accepts an empty tokenTypes list (then only tokens without typ pass)', () => {
      expect(resolve({ ...BASE, tokenTypes: [] }).tokenTypes).toEqual([]);
    });
  });

  describe('refusals', () => {
    it.each([
      ['null', null],
      ['a string', 'https://issuer.test/'],
      ['a number', 42],
    ])('refuses options that are %s, naming "options"', (_label, options) => {
      const error = configErrorOf(options);
      expect(error.option).toBe('options');
      expect(error.message).toBe('OAuthJwtModule: invalid option "options": must be an object');
    });

    it.each(['audiences', 'jwks_uri', 'issuerUrl', 'cache'])(
      'refuses the unknown top-level option %s, naming it',
      (key) => {
        const error = configErrorOf({ ...BASE, [key]: 'x' });
        expect(error.option).toBe(key);
        expect(error.message).toBe(
          `OAuthJwtModule: invalid option "${key}": is not a known option`,
        );
      },
    );

    it.each([
      ['keySet', 'cacheMaxAge'],
      ['keySet', 'ttl'],
      ['tokenCache', 'enable'],
      ['tokenCache', 'max'],
      ['clientCache', 'ttl'],
    ])('refuses the unknown nested option %s.%s, naming it', (group, key) => {
      const error = configErrorOf({ ...BASE, [group]: { [key]: 1 } });
      expect(error.option).toBe(`${group}.${key}`);
      expect(error.message).toBe(
        `OAuthJwtModule: invalid option "${group}.${key}": is not a known option`,
      );
    });

    // [option, value, exact problem in the message]
    const invalid: [string, unknown, string][] = [
      ['issuer', undefined, 'must be a non-empty URL string'],
      ['issuer', '', 'must be a non-empty URL string'],
      ['issuer', 42, 'must be a non-empty URL string'],
      ['issuer', 'issuer.test', 'must be an absolute http(s) URL'],
      ['issuer', 'ftp://issuer.test/', 'must be an absolute http(s) URL'],
      ['issuer', 'https://issuer.test/?tenant=a', 'must not have a query or fragment'],
      ['issuer', 'https://issuer.test/#a', 'must not have a query or fragment'],
      ['audience', undefined, 'must be a non-empty string or a non-empty array of them'],
      ['audience', '', 'must be a non-empty string or a non-empty array of them'],
      ['audience', [], 'must be a non-empty string or a non-empty array of them'],
      ['audience', [''], 'must be a non-empty string or a non-empty array of them'],
      ['audience', ['api', ''], 'must be a non-empty string or a non-empty array of them'],
      ['audience', [42], 'must be a non-empty string or a non-empty array of them'],
      ['audience', null, 'must be a non-empty string or a non-empty array of them'],
      ['audience', { aud: 'api' }, 'must be a non-empty string or a non-empty array of them'],
      ['jwksUri', '', 'must be a non-empty URL string'],
      ['jwksUri', 5, 'must be a non-empty URL string'],
      ['jwksUri', 'jwks.json', 'must be an absolute http(s) URL'],
      ['jwksUri', 'file:///etc/jwks.json', 'must be an absolute http(s) URL'],
      ['algorithms', [], 'must be a non-empty array of non-empty strings'],
      ['algorithms', [''], 'must be a non-empty array of non-empty strings'],
      ['algorithms', 'RS256', 'must be a non-empty array of non-empty strings'],
      ['algorithms', ['none'], '"none" is never allowed'],
      ['algorithms', ['None'], '"none" is never allowed'],
      ['algorithms', ['RS256', 'NONE'], '"none" is never allowed'],
      ['algorithms', ['HS256'], 'HS256 is symmetric and cannot be verified with a JWKS'],
      ['algorithms', ['hs512'], 'hs512 is symmetric and cannot be verified with a JWKS'],
      [
        'algorithms',
        ['EdDSA'],
        'EdDSA is not supported (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)',
      ],
      [
        'algorithms',
        ['rs256'],
        'rs256 is not supported (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)',
      ],
      ['clockToleranceSeconds', -1, 'must be a number from 0 to 300'],
      ['clockToleranceSeconds', 301, 'must be a number from 0 to 300'],
      ['clockToleranceSeconds', Number.NaN, 'must be a number from 0 to 300'],
      ['clockToleranceSeconds', Number.POSITIVE_INFINITY, 'must be a number from 0 to 300'],
      ['clockToleranceSeconds', '5', 'must be a number from 0 to 300'],
      ['maxTokenAgeSeconds', 0, 'must be a number from 1 to 31536000'],
      ['maxTokenAgeSeconds', 31_536_001, 'must be a number from 1 to 31536000'],
      ['maxTokenAgeSeconds', '60', 'must be a number from 1 to 31536000'],
      ['realm', 'partner "api"', 'must be printable ASCII without quotes or backslashes'],
      ['realm', 'partner\\api', 'must be printable ASCII without quotes or backslashes'],
      ['realm', 'api\r\nX-Injected: 1', 'must be printable ASCII without quotes or backslashes'],
      ['realm', 'api\t', 'must be printable ASCII without quotes or backslashes'],
      ['realm', 'äpi', 'must be printable ASCII without quotes or backslashes'],
      ['realm', 42, 'must be printable ASCII without quotes or backslashes'],
      ['scopeClaims', [], 'must be a non-empty array of non-empty strings'],
      ['scopeClaims', 'scope', 'must be a non-empty array of non-empty strings'],
      ['scopeClaims', [''], 'must be a non-empty array of non-empty strings'],
      ['tokenTypes', 'at+jwt', 'must be an array of non-empty strings'],
      ['tokenTypes', [''], 'must be an array of non-empty strings'],
      ['tokenTypes', [1], 'must be an array of non-empty strings'],
      ['clientResolver', 'partners', 'must be a function or an object with a resolve() method'],
      ['clientResolver', {}, 'must be a function or an object with a resolve() method'],
      [
        'clientResolver',
        { resolve: 'x' },
        'must be a function or an object with a resolve() method',
      ],
      ['clientResolver', null, 'must be a function or an object with a resolve() method'],
      ['clientResolverTimeoutMs', 0, 'must be an integer from 1 to 60000'],
      ['clientResolverTimeoutMs', 1.5, 'must be an integer from 1 to 60000'],
      ['keySet', 'fast', 'must be an object'],
      ['keySet', [], 'must be an object'],
      ['tokenCache', false, 'must be an object'],
      ['clientCache', 30, 'must be an object'],
    ];
    it.each(invalid)('refuses %s = %j, naming the option', (option, value, problem) => {
      const error = configErrorOf({ ...BASE, [option]: value });
      expect(error.option).toBe(option);
      expect(error.message).toBe(`OAuthJwtModule: invalid option "${option}": ${problem}`);
      expect(error.name).toBe('OAuthJwtConfigurationError');
    });

    // [group, key, value, exact problem]
    const invalidNested: [string, string, unknown, string][] = [
      ['keySet', 'cacheMaxAgeSeconds', 0, 'must be a number from 1 to 86400'],
      ['keySet', 'cacheMaxAgeSeconds', 86_401, 'must be a number from 1 to 86400'],
      ['keySet', 'cooldownSeconds', -1, 'must be a number from 0 to 3600'],
      ['keySet', 'cooldownSeconds', 3601, 'must be a number from 0 to 3600'],
      ['keySet', 'staleMaxAgeSeconds', -1, 'must be a number from 0 to 604800'],
      ['keySet', 'staleMaxAgeSeconds', 604_801, 'must be a number from 0 to 604800'],
      ['keySet', 'timeoutMs', 0, 'must be an integer from 1 to 60000'],
      ['keySet', 'timeoutMs', 60_001, 'must be an integer from 1 to 60000'],
      ['keySet', 'timeoutMs', 1500.5, 'must be an integer from 1 to 60000'],
      ['keySet', 'maxResponseBytes', 1023, 'must be a number from 1024 to 16777216'],
      ['keySet', 'maxResponseBytes', 16_777_217, 'must be a number from 1024 to 16777216'],
      ['keySet', 'warmUp', 'yes', 'must be a boolean'],
      ['tokenCache', 'enabled', 'false', 'must be a boolean'],
      ['tokenCache', 'maxEntries', 0, 'must be an integer from 1 to 10000000'],
      ['tokenCache', 'maxEntries', 10_000_001, 'must be an integer from 1 to 10000000'],
      ['tokenCache', 'maxEntries', 1.5, 'must be an integer from 1 to 10000000'],
      ['tokenCache', 'maxBytes', 65_535, 'must be an integer from 65536 to 4294967296'],
      ['tokenCache', 'maxBytes', 4_294_967_297, 'must be an integer from 65536 to 4294967296'],
      ['tokenCache', 'maxBytes', 100_000.5, 'must be an integer from 65536 to 4294967296'],
      ['tokenCache', 'maxTtlSeconds', 0, 'must be a number from 1 to 86400'],
      ['tokenCache', 'maxTtlSeconds', 86_401, 'must be a number from 1 to 86400'],
      ['clientCache', 'ttlSeconds', -1, 'must be a number from 0 to 86400'],
      ['clientCache', 'ttlSeconds', 86_401, 'must be a number from 0 to 86400'],
      ['clientCache', 'maxEntries', 0, 'must be an integer from 1 to 10000000'],
      ['clientCache', 'maxEntries', 2.5, 'must be an integer from 1 to 10000000'],
      ['clientCache', 'keyBy', 'sub', "must be one of 'claims', 'clientId'"],
    ];
    it.each(invalidNested)(
      'refuses %s.%s = %j, naming the option',
      (group, key, value, problem) => {
        const error = configErrorOf({ ...BASE, [group]: { [key]: value } });
        expect(error.option).toBe(`${group}.${key}`);
        expect(error.message).toBe(`OAuthJwtModule: invalid option "${group}.${key}": ${problem}`);
      },
    );
  });

  describe('audience', () => {
    it('takes a single string as a one-element list', () => {
      expect(resolve({ ...BASE, audience: 'api' }).audience).toEqual(['api']);
    });

    it.each([[''], [[]], [['']]])(
      'never resolves %j to an empty list that would disable the audience check',
      (audience) => {
        expect(() => resolve({ ...BASE, audience })).toThrow(OAuthJwtConfigurationError);
      },
    );
  });

  describe('clientResolver', () => {
    it('uses a function as it is', async () => {
      const resolver = jest.fn((clientId: string) => ({ id: clientId }));
      const resolved = resolve({ ...BASE, clientResolver: resolver }).clientResolver;
      expect(resolved).toBe(resolver);
      expect(await resolved?.('partner-a', { sub: 'partner-a' })).toEqual({ id: 'partner-a' });
    });

    it('calls an object resolver as a method, with its own this', async () => {
      class PartnersDirectory {
        private readonly partners = new Map([['partner-a', { name: 'A' }]]);
        resolve(clientId: string) {
          return this.partners.get(clientId);
        }
      }
      const resolved = resolve({ ...BASE, clientResolver: new PartnersDirectory() }).clientResolver;
      expect(await resolved?.('partner-a', {})).toEqual({ name: 'A' });
      expect(await resolved?.('partner-z', {})).toBeUndefined();
    });

    it('passes the client id and the claims to the resolver', async () => {
      const resolve_ = jest.fn(() => 'partner');
      const claims = { sub: 'partner-a@clients', tenant: 't1' };
      await resolve({ ...BASE, clientResolver: { resolve: resolve_ } }).clientResolver?.(
        'partner-a',
        claims,
      );
      expect(resolve_).toHaveBeenCalledWith('partner-a', claims);
    });
  });

  describe('validationFingerprint', () => {
    const fingerprint = (options: Record<string, unknown>) =>
      resolve({ ...BASE, ...options }).validationFingerprint;

    it('is the same for the same validation settings', () => {
      expect(fingerprint({})).toBe(fingerprint({}));
      expect(fingerprint({})).toBe(fingerprint({ realm: 'other', tokenCache: { maxEntries: 5 } }));
    });

    it.each([
      ['issuer', { issuer: 'https://other-issuer.test/' }],
      ['audience', { audience: 'https://other-api.test' }],
      ['audience list', { audience: ['https://api.test', 'https://other-api.test'] }],
      ['algorithms', { algorithms: ['ES256'] }],
      ['algorithms list', { algorithms: ['RS256', 'PS256'] }],
      ['clock tolerance', { clockToleranceSeconds: 0 }],
      ['max token age', { maxTokenAgeSeconds: 600 }],
      ['scope claims', { scopeClaims: ['scope'] }],
      ['token types', { tokenTypes: ['at+jwt'] }],
    ])('changes when the %s changes', (_label, options) => {
      expect(fingerprint(options)).not.toBe(fingerprint({}));
    });
  });
});
