import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { startIssuersApp, type IssuersApp } from './support/issuers-app';

/** requireRfc9068: RFC 9068 §4 `typ` at+jwt, §2.2 `client_id`, `iat`, `jti` required. */
describe('requireRfc9068', () => {
  let issuer: TestIssuer;
  let strict: IssuersApp;
  let lenient: IssuersApp;
  const token = (header: Record<string, unknown>, claims: Record<string, unknown>): string =>
    issuer.token({ sub: 'partner-a', scopes: ['list:users'], header, claims });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    strict = await startIssuersApp(issuer.moduleOptions({ requireRfc9068: true }));
    lenient = await startIssuersApp(issuer.moduleOptions());
  });

  afterAll(async () => {
    await Promise.all([strict.close(), lenient.close()]);
    await issuer.close();
  });

  it('admits an RFC 9068 token', async () => {
    expect((await strict.get(token({}, {}))).status).toBe(200);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ['typ JWT', { typ: 'JWT' }, {}, 'The token is not an access token'],
    ['no typ', { typ: undefined }, {}, 'The token is not an access token'],
    [
      'no client_id',
      {},
      { client_id: undefined },
      'The access token has a missing or invalid claim',
    ],
    ['no iat', {}, { iat: undefined }, 'The access token has a missing or invalid claim'],
    ['no jti', {}, { jti: undefined }, 'The access token has a missing or invalid claim'],
  ])(
    'refuses a token with %s (admitted without the option)',
    async (_case, header, claims, message) => {
      const refused = await strict.get(token(header, claims));
      expect([refused.status, (refused.body as { message: string }).message]).toEqual([
        401,
        message,
      ]);
      expect((await lenient.get(token(header, claims))).status).toBe(200);
    },
  );
});
