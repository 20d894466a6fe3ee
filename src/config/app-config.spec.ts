import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigError, loadAppConfig, loadPartners } from './app-config';

const dir = mkdtempSync(join(tmpdir(), 'app-config-'));

function partnersFile(content: string): string {
  const file = join(dir, `partners-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return file;
}

const PARTNERS = partnersFile('[{"clientId":"partner-a","name":"Acme"}]');
const ENV = {
  OAUTH_ISSUER: 'https://issuer.example/',
  OAUTH_AUDIENCE: 'https://api.example',
  PARTNERS_FILE: PARTNERS,
};

describe('loadAppConfig', () => {
  it('reads the environment with its defaults', () => {
    expect(loadAppConfig(ENV)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      issuer: 'https://issuer.example/',
      audience: ['https://api.example'],
      resource: 'https://api.example',
      partners: [{ clientId: 'partner-a', name: 'Acme' }],
      database: { dataDir: './data' },
    });
  });

  it('takes DATABASE_URL for PostgreSQL, else DATA_DIR for the embedded database', () => {
    expect(loadAppConfig({ ...ENV, DATABASE_URL: 'postgres://u@db/app' }).database).toEqual({
      url: 'postgres://u@db/app',
    });
    expect(loadAppConfig({ ...ENV, DATA_DIR: '/var/lib/api' }).database).toEqual({
      dataDir: '/var/lib/api',
    });
  });

  it('reads optional granted scopes, status and rate limit from PARTNERS_FILE', () => {
    const file = partnersFile(
      '[{"clientId":"a","name":"A","scopes":["list:users","list:users"],"status":"suspended","rateLimitPerMinute":30}]',
    );
    expect(loadPartners(file)).toEqual([
      {
        clientId: 'a',
        name: 'A',
        scopes: ['list:users'],
        status: 'suspended',
        rateLimitPerMinute: 30,
      },
    ]);
  });

  it('takes the RFC 9728 resource from RESOURCE_URL, else from an audience that is a URL only', () => {
    expect(loadAppConfig({ ...ENV, RESOURCE_URL: 'https://api.example/v1' }).resource).toBe(
      'https://api.example/v1',
    );
    expect(loadAppConfig({ ...ENV, OAUTH_AUDIENCE: 'partner-api' }).resource).toBeUndefined();
  });

  it('takes several comma-separated audiences, a JWKS URI, a port and a host', () => {
    expect(
      loadAppConfig({
        ...ENV,
        OAUTH_AUDIENCE: 'a, b,,',
        OAUTH_JWKS_URI: 'https://issuer.example/jwks',
        PORT: '8080',
        HOST: '0.0.0.0',
      }),
    ).toMatchObject({
      audience: ['a', 'b'],
      jwksUri: 'https://issuer.example/jwks',
      port: 8080,
      host: '0.0.0.0',
    });
  });

  it.each([
    [
      'OAUTH_ISSUER',
      { ...ENV, OAUTH_ISSUER: ' ' },
      'Invalid environment: OAUTH_ISSUER is required',
    ],
    [
      'OAUTH_AUDIENCE',
      { ...ENV, OAUTH_AUDIENCE: undefined },
      'Invalid environment: OAUTH_AUDIENCE is required',
    ],
    [
      'OAUTH_AUDIENCE',
      { ...ENV, OAUTH_AUDIENCE: ',,' },
      'Invalid environment: OAUTH_AUDIENCE must name at least one audience',
    ],
    [
      'PARTNERS_FILE',
      { ...ENV, PARTNERS_FILE: undefined },
      'Invalid environment: PARTNERS_FILE is required',
    ],
    ['PORT', { ...ENV, PORT: 'http' }, 'Invalid environment: PORT must be a port number (0-65535)'],
    [
      'DATABASE_URL',
      { ...ENV, DATABASE_URL: 'mysql://db/app' },
      'Invalid environment: DATABASE_URL must be a postgres:// or postgresql:// URL',
    ],
    [
      'PORT',
      { ...ENV, PORT: '70000' },
      'Invalid environment: PORT must be a port number (0-65535)',
    ],
  ])('fails naming %s', (_variable, env, message) => {
    expect(() => loadAppConfig(env)).toThrow(AppConfigError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });
});

describe('loadPartners', () => {
  it.each([
    ['a missing file', join(dir, 'nope.json'), 'cannot be read'],
    ['invalid JSON', partnersFile('[{'), 'is not valid JSON'],
    [
      'an object',
      partnersFile('{"clientId":"a","name":"b"}'),
      'must hold a JSON array of partners',
    ],
    [
      'an entry without name',
      partnersFile('[{"clientId":"a"}]'),
      'entry 0 needs a non-empty "clientId" and "name"',
    ],
    ['a null entry', partnersFile('[null]'), 'entry 0 needs a non-empty "clientId" and "name"'],
    [
      'scopes that are not a list of scopes',
      partnersFile('[{"clientId":"a","name":"b","scopes":"list:users"}]'),
      'entry 0 "scopes" must be an array of scopes',
    ],
    [
      'an unknown status',
      partnersFile('[{"clientId":"a","name":"b","status":"paused"}]'),
      'entry 0 "status" must be one of active, suspended',
    ],
    ...['0', '1.5', '"60"', '1000001', 'null'].map((value) => [
      `a rate limit of ${value}`,
      partnersFile(`[{"clientId":"a","name":"b","rateLimitPerMinute":${value}}]`),
      'entry 0 "rateLimitPerMinute" must be an integer from 1 to 1000000',
    ]),
  ])('refuses %s, naming PARTNERS_FILE', (_label, file, problem) => {
    expect(() => loadPartners(file)).toThrow(`Invalid environment: PARTNERS_FILE ${problem}`);
  });
});
