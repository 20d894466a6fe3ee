import request from 'supertest';
import { HTTP_ADAPTERS } from '../src/http-adapter';
import { createTestIssuer, type TestIssuer } from '../src/oauth-jwt/testing';
import { TEST_AUDIENCE } from './support/authorization-server';
import { expectRefusal, REFUSALS } from './support/bearer-refusals';
import { rawGet } from './support/raw-request';
import { closeAll, E2E_TIMEOUT_MS, startAppFor, type TestApp } from './support/test-app';

/**
 * How the token travels, through the real HTTP stack of each adapter: the wiring of the strict
 * header reader (every header form is tabled once, in src/oauth-jwt/token/read-bearer-token.spec.ts)
 * and what only a real server shows: duplicate raw headers, query strings and bodies as each
 * adapter parses them, headers over Node's limit, and never a 5xx.
 */

jest.setTimeout(E2E_TIMEOUT_MS);

let issuer: TestIssuer;
/** A valid partner-a token with every scope. */
let token: string;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: TEST_AUDIENCE });
  token = issuer.token({
    sub: 'partner-a',
    scopes: ['list:users', 'read:users', 'create:users', 'delete:users'],
  });
});

afterAll(() => issuer.close());

describe.each(HTTP_ADAPTERS)('the bearer token over %s', (adapter) => {
  let api: TestApp | undefined;
  let url: string;

  beforeAll(async () => {
    api = await startAppFor(issuer, {}, adapter);
    url = api.url;
  });

  afterAll(() => closeAll(api));

  const form = (fields: string) => `${fields}&name=Mallory&email=mallory%40example.test`;
  const json = (fields: object) => ({ ...fields, name: 'Mallory', email: 'mallory@example.test' });

  describe('in the Authorization header', () => {
    it.each(['Bearer', 'bearer'])('is accepted under the scheme %s', async (scheme) => {
      const response = await request(url)
        .get('/partners/me')
        .set('Authorization', `${scheme} ${token}`);
      expect([response.status, response.body]).toEqual([
        200,
        { clientId: 'partner-a', name: 'Acme Corp' },
      ]);
    });

    it('is accepted after leading whitespace, which Node trims', async () => {
      const response = await rawGet(url, '/partners/me', { authorization: ` Bearer ${token}` });
      expect(response.status).toBe(200);
    });

    it('is missing without the header: 401 with a bare challenge, HEAD included', async () => {
      expectRefusal(await request(url).get('/users'), REFUSALS.missingToken);
      const head = await request(url).head('/users');
      expect([head.status, head.headers['www-authenticate']]).toEqual([401, 'Bearer realm="api"']);
    });

    it.each([
      ['X-Access-Token', { 'x-access-token': 'TOKEN' }],
      ['a cookie', { cookie: 'access_token=TOKEN' }],
      ['Proxy-Authorization', { 'proxy-authorization': 'Bearer TOKEN' }],
    ])('is missing when it travels in %s: 401, bare challenge', async (_label, headers) => {
      const withToken = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, value.replace('TOKEN', token)]),
      );
      expectRefusal(await rawGet(url, '/users', withToken), REFUSALS.missingToken);
    });

    it('refuses a malformed Bearer header with 400 invalid_request', async () => {
      const response = await rawGet(url, '/users', { authorization: `Bearer ${token} ${token}` });
      expectRefusal(response, REFUSALS.malformedRequest);
    });

    it.each([
      ['the same token twice', () => [`Bearer ${token}`, `Bearer ${token}`]],
      ['Basic, then Bearer', () => ['Basic dXNlcjpwYXNz', `Bearer ${token}`]],
      ['an empty one, then one with a token', () => ['', `Bearer ${token}`]],
      ['one with a token, then an empty one', () => [`Bearer ${token}`, '']],
    ])('refuses two Authorization headers (%s) with 400 invalid_request', async (_l, headers) => {
      const response = await rawGet(url, '/users', { authorization: headers() });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('answers a header over Node’s size limit below 500, without a challenge', async () => {
      const response = await rawGet(url, '/users', {
        authorization: `Bearer ${'a'.repeat(20_000)}`,
      });
      expect([response.status, response.headers['www-authenticate']]).toEqual([431, undefined]);
    });

    it('lets a public route answer 200 whatever the credentials (two headers)', async () => {
      const response = await rawGet(url, '/health', {
        authorization: [`Bearer ${token}`, `Bearer ${token}`],
      });
      expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
    });
  });

  describe('in the query string (RFC 9700: never)', () => {
    it.each([
      ['alone', () => `/users?access_token=${token}`],
      ['twice', () => `/users?access_token=${token}&access_token=${token}`],
      ['empty', () => '/users?access_token='],
    ])('refuses a token %s in the query with 400 invalid_request', async (_label, path) => {
      expectRefusal(await request(url).get(path()), REFUSALS.tokenInQuery);
    });

    it.each([
      ['a token', () => `/users?access_token=${token}`],
      ['an empty access_token', () => '/users?access_token='],
    ])('refuses a header token and %s in the query with 400', async (_label, path) => {
      const response = await request(url).get(path()).set('Authorization', `Bearer ${token}`);
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses another scheme in the header and a token in the query with 400', async () => {
      const response = await request(url)
        .get(`/users?access_token=${token}`)
        .set('Authorization', 'Basic dXNlcjpwYXNz');
      expectRefusal(response, REFUSALS.multipleCredentials);
    });
  });

  describe('in the request body (RFC 6750 §2.2: not accepted)', () => {
    it.each([
      ['only in a form body', false, 'form', REFUSALS.tokenInBody],
      ['only in a JSON body', false, 'json', REFUSALS.tokenInBody],
      ['in the header and in a form body', true, 'form', REFUSALS.multipleCredentials],
      ['in the header and in a JSON body', true, 'json', REFUSALS.multipleCredentials],
    ] as const)('refuses a token %s with 400', async (_label, inHeader, body, expected) => {
      const post = request(url).post('/users');
      if (inHeader) post.set('Authorization', `Bearer ${token}`);
      const response = await (body === 'form'
        ? post.type('form').send(form(`access_token=${token}`))
        : post.send(json({ access_token: token })));
      expectRefusal(response, expected);
    });
  });
});
