import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from './app-config';
import { startupMode } from './startup-mode';

const PARTNERS = join(mkdtempSync(join(tmpdir(), 'app-config-issuers-')), 'partners.json');
writeFileSync(PARTNERS, '[{"clientId":"partner-a","name":"Acme"}]');
const ENV = {
  OAUTH_ISSUER: 'https://issuer.example/',
  OAUTH_AUDIENCE: 'https://api.example',
  PARTNERS_FILE: PARTNERS,
};
const ISSUERS = JSON.stringify([
  { issuer: 'https://a.example/', audience: 'https://api.example', profile: 'auth0' },
  { issuer: 'https://b.example/', audience: ['x', 'y'], jwksUri: 'https://b.example/jwks' },
]);

describe('loadAppConfig: OAUTH_PROFILE, OAUTH_HS256_SECRET, OAUTH_ISSUERS', () => {
  it('leaves the existing contract as it was without them (generic by default)', () => {
    expect(loadAppConfig(ENV)).not.toHaveProperty('profile');
    expect(loadAppConfig(ENV)).not.toHaveProperty('issuers');
  });

  it('reads OAUTH_PROFILE and OAUTH_HS256_SECRET', () => {
    expect(
      loadAppConfig({ ...ENV, OAUTH_PROFILE: 'okta', OAUTH_HS256_SECRET: 's'.repeat(32) }),
    ).toMatchObject({ profile: 'okta', secret: 's'.repeat(32) });
  });

  it('reads OAUTH_ISSUERS instead of OAUTH_ISSUER / OAUTH_AUDIENCE, and starts configured', () => {
    const env = { OAUTH_ISSUERS: ISSUERS, PARTNERS_FILE: PARTNERS };
    expect(startupMode(env)).toBe('configured');
    expect(loadAppConfig(env).issuers).toEqual(JSON.parse(ISSUERS));
  });

  it.each([
    [{ ...ENV, OAUTH_PROFILE: 'ping' }, 'OAUTH_PROFILE must be one of generic, auth0'],
    [{ ...ENV, OAUTH_ISSUERS: ISSUERS }, 'OAUTH_ISSUER cannot be combined with OAUTH_ISSUERS'],
    [{ OAUTH_ISSUERS: '[{', PARTNERS_FILE: PARTNERS }, 'OAUTH_ISSUERS is not valid JSON'],
    [{ OAUTH_ISSUERS: '[]', PARTNERS_FILE: PARTNERS }, 'OAUTH_ISSUERS must be a non-empty'],
    [
      { OAUTH_ISSUERS: '[{"issuer":"https://a.example/"}]', PARTNERS_FILE: PARTNERS },
      'OAUTH_ISSUERS entry 0 needs an "issuer" and an "audience"',
    ],
  ])('fails naming the variable (%#)', (env, message) => {
    expect(() => loadAppConfig(env)).toThrow(message);
  });
});
