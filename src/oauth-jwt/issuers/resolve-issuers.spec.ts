import { resolveOAuthJwtOptions } from '../resolve-options';
import type { OAuthJwtModuleOptions } from '../oauth-jwt-options.interface';

const SECRET = 'x'.repeat(32);
const A = { issuer: 'https://a.test/', audience: 'https://api.test' };

function startUpError(options: Partial<OAuthJwtModuleOptions>): string {
  try {
    resolveOAuthJwtOptions(options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a start-up error');
}

describe('resolveIssuers (through resolveOAuthJwtOptions)', () => {
  it('makes the single-issuer options a one-element list with the profile defaults', () => {
    const { issuers } = resolveOAuthJwtOptions({ ...A, profile: 'cognito' });
    expect(issuers).toEqual([
      expect.objectContaining({
        issuer: 'https://a.test/',
        profile: 'cognito',
        clientIdClaims: ['client_id'],
        audienceRule: 'scope-prefix',
      }),
    ]);
  });

  it('lets each issuer override the module-wide profile, client id claim and scopes', () => {
    const { issuers } = resolveOAuthJwtOptions({
      profile: 'okta',
      issuers: [
        A,
        {
          issuer: 'https://b.test/',
          audience: 'b',
          profile: 'entra',
          clientIdClaim: 'appid',
          scopeClaims: ['roles', 'scp'],
        },
      ],
    });
    expect(issuers.map((i) => [i.profile, i.clientIdClaims, i.scopeClaims])).toEqual([
      ['okta', ['sub'], ['scp']],
      ['entra', ['appid'], ['roles', 'scp']],
    ]);
  });

  it('defaults a secret issuer to HS256 and keeps the secret bytes', () => {
    const [issuer] = resolveOAuthJwtOptions({ ...A, secret: SECRET }).issuers;
    expect([issuer?.algorithms, issuer?.secret?.toString()]).toEqual([['HS256'], SECRET]);
  });

  it.each<[string, Partial<OAuthJwtModuleOptions>, string]>([
    ['a 31-byte secret', { ...A, secret: 'x'.repeat(31) }, '"secret": must be at least 32 bytes'],
    [
      'a secret with a jwksUri',
      { ...A, secret: SECRET, jwksUri: 'https://a.test/jwks' },
      '"secret": cannot be combined with jwksUri',
    ],
    [
      'RS256 with a secret',
      { ...A, secret: SECRET, algorithms: ['RS256'] },
      '"algorithms": RS256 cannot be verified with a shared secret',
    ],
    [
      'HS256 without a secret',
      { ...A, algorithms: ['HS256'] },
      '"algorithms": HS256 is symmetric and cannot be verified with a JWKS',
    ],
    [
      'a secret that is a number',
      { ...A, secret: 42 as unknown as string },
      '"secret": must be a string or a Buffer',
    ],
    ['issuers beside issuer', { ...A, issuers: [A] }, '"issuer": cannot be combined with issuers'],
    ['an empty issuers list', { issuers: [] }, '"issuers": must be a non-empty array'],
    ['an issuer listed twice', { issuers: [A, A] }, '"issuers[1].issuer": is listed twice'],
    [
      'an unknown key in an entry',
      { issuers: [{ ...A, jwks: 'x' } as never] },
      '"issuers[0].jwks": is not a known option',
    ],
    [
      'a short secret in an entry',
      { issuers: [{ ...A, secret: 'short' }] },
      '"issuers[0].secret": must be at least 32 bytes',
    ],
    ['an unknown profile', { ...A, profile: 'ping' as never }, '"profile": must be one of'],
    ['an unknown audience rule', { ...A, audienceRule: 'azp' as never }, '"audienceRule": must be'],
  ])('fails at start-up on %s, naming the option', (_case, options, expected) => {
    expect(startUpError(options)).toContain(expected);
  });

  it('gives another token-cache fingerprint for another secret, profile or second issuer', () => {
    const fingerprints = [
      resolveOAuthJwtOptions({ ...A, secret: SECRET }),
      resolveOAuthJwtOptions({ ...A, secret: `${SECRET}y` }),
      resolveOAuthJwtOptions({ ...A, profile: 'auth0' }),
      resolveOAuthJwtOptions({ ...A }),
      resolveOAuthJwtOptions({ issuers: [A, { issuer: 'https://b.test/', audience: 'b' }] }),
    ].map((options) => options.validationFingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });
});
