import { reply, type TestHttpServer } from '../testing/internal/test-http-server';
import { useTestHttpServer } from '../testing/internal/test-http-server.spec-helper';
import { discoverJwksUri, metadataUrls } from './discover-jwks-uri';
import { KeySetFetchError } from './fetch-json';

const LIMITS = { timeoutMs: 2_000, maxResponseBytes: 65_536 };
const OIDC = '/.well-known/openid-configuration';
const RFC8414 = '/.well-known/oauth-authorization-server';

let server: TestHttpServer;
useTestHttpServer((started) => (server = started));

describe('metadataUrls', () => {
  it.each([
    [
      'https://as.test',
      [
        'https://as.test/.well-known/openid-configuration',
        'https://as.test/.well-known/oauth-authorization-server',
      ],
    ],
    [
      'https://as.test/',
      [
        'https://as.test/.well-known/openid-configuration',
        'https://as.test/.well-known/oauth-authorization-server',
      ],
    ],
    [
      'https://as.test/tenant-a',
      [
        'https://as.test/tenant-a/.well-known/openid-configuration',
        'https://as.test/.well-known/oauth-authorization-server/tenant-a',
      ],
    ],
    [
      'https://as.test:8443/realms/partners/',
      [
        'https://as.test:8443/realms/partners/.well-known/openid-configuration',
        'https://as.test:8443/.well-known/oauth-authorization-server/realms/partners',
      ],
    ],
  ])('for issuer %s tries OpenID Connect, then RFC 8414', (issuer, urls) => {
    expect(metadataUrls(issuer)).toEqual(urls);
  });
});

describe('discoverJwksUri', () => {
  it('reads jwks_uri from the OpenID Connect document', async () => {
    const issuer = server.origin;
    server.route(OIDC, reply.json({ issuer, jwks_uri: `${issuer}/keys` }));
    await expect(discoverJwksUri(issuer, LIMITS)).resolves.toBe(`${issuer}/keys`);
    expect(server.hits(RFC8414)).toBe(0);
  });

  it('falls back to RFC 8414 metadata, inserted before the issuer path', async () => {
    const issuer = `${server.origin}/tenant-a`;
    server.route(`${RFC8414}/tenant-a`, reply.json({ issuer, jwks_uri: `${issuer}/jwks` }));
    await expect(discoverJwksUri(issuer, LIMITS)).resolves.toBe(`${issuer}/jwks`);
    expect(server.hits(`/tenant-a${OIDC}`)).toBe(1);
    expect(server.hits(`${RFC8414}/tenant-a`)).toBe(1);
  });

  it('falls back to RFC 8414 when the OpenID Connect document names another issuer', async () => {
    const issuer = server.origin;
    server.route(
      OIDC,
      reply.json({ issuer: 'https://evil.test', jwks_uri: 'https://evil.test/k' }),
    );
    server.route(RFC8414, reply.json({ issuer, jwks_uri: `${issuer}/good` }));
    await expect(discoverJwksUri(issuer, LIMITS)).resolves.toBe(`${issuer}/good`);
  });

  it.each([
    [
      'another issuer',
      (issuer: string) => ({ issuer: `${issuer}/other`, jwks_uri: `${issuer}/k` }),
    ],
    [
      'the issuer with a trailing slash',
      (issuer: string) => ({ issuer: `${issuer}/`, jwks_uri: `${issuer}/k` }),
    ],
    ['no issuer', (issuer: string) => ({ jwks_uri: `${issuer}/k` })],
    ['no jwks_uri', (issuer: string) => ({ issuer })],
    ['a jwks_uri that is not a string', (issuer: string) => ({ issuer, jwks_uri: 42 })],
    ['a file: jwks_uri', (issuer: string) => ({ issuer, jwks_uri: 'file:///etc/jwks.json' })],
    ['an array', () => []],
  ])('refuses metadata with %s', async (_label, document) => {
    const issuer = server.origin;
    server.route(OIDC, reply.json(document(issuer)));
    server.route(RFC8414, reply.json(document(issuer)));
    const error: unknown = await discoverJwksUri(issuer, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetFetchError);
    expect((error as KeySetFetchError).failure).toBe('bad_metadata');
  });

  it('fails with the last error when neither document exists', async () => {
    const error: unknown = await discoverJwksUri(server.origin, LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetFetchError);
    expect(error).toMatchObject({
      failure: 'status',
      status: 404,
      url: `${server.origin}${RFC8414}`,
    });
    expect(server.hits(OIDC)).toBe(1);
    expect(server.hits(RFC8414)).toBe(1);
  });
});
