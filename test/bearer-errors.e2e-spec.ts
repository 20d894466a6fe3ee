import request from 'supertest';
import type { DevIssuer } from '../src/dev-issuer/dev-issuer';
import { HTTP_ADAPTERS } from '../src/http-adapter';
import { startTestAuthorizationServer, TEST_CLIENTS } from './support/authorization-server';
import { expectRefusal, REFUSALS } from './support/bearer-refusals';
import { rawGet } from './support/raw-request';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  type TestApp,
} from './support/test-app';
import { decodeJwt, encodeSegment } from './support/tokens';

/**
 * How the API reads the Authorization header (RFC 6750 §2.1, §3): missing credentials, malformed
 * headers, tokens in more than one place or outside the header, and no 5xx for anything a client
 * can put in a header.
 */

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA } = TEST_CLIENTS;

/** One authorization server for the file; one app per HTTP adapter (the blocks run in turn). */
let issuer: DevIssuer | undefined;
let api: TestApp | undefined;
let url: string;
/** A valid partner-a token with every scope. */
let jwt: string;

function running(): DevIssuer {
  if (!issuer) throw new Error('the authorization server is not running');
  return issuer;
}

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  jwt = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, partnerA.scopes);
});

afterAll(async () => {
  await issuer?.stop();
});

describe.each(HTTP_ADAPTERS)('the Authorization header over %s', (adapter) => {
  beforeAll(async () => {
    api = await startTestApp(appConfigFor(running()), adapter);
    url = api.url;
  });

  afterAll(async () => {
    await closeAll(api);
    api = undefined;
  });

  describe('a valid bearer token', () => {
    it.each(['Bearer', 'bearer', 'BEARER'])(
      'is accepted with the scheme spelt %s (auth-schemes are case-insensitive)',
      async (scheme) => {
        const response = await request(url)
          .get('/partners/me')
          .set('Authorization', `${scheme} ${jwt}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ clientId: 'partner-a', name: 'Acme Corp' });
      },
    );
  });

  describe('no credentials: 401 with a bare challenge (no error attribute)', () => {
    it('refuses a request without an Authorization header', async () => {
      expectRefusal(await request(url).get('/users'), REFUSALS.missingToken);
    });

    it.each(['Basic xxx', 'Basic dXNlcjpwYXNz', 'Token abc', 'Digest username="x"'])(
      'refuses another scheme (%s) as no bearer credentials',
      async (header) => {
        const response = await request(url).get('/users').set('Authorization', header);
        expectRefusal(response, REFUSALS.missingToken);
      },
    );

    it('refuses an empty Authorization header', async () => {
      expectRefusal(await rawGet(url, '/users', { authorization: '' }), REFUSALS.missingToken);
    });
  });

  describe('malformed Authorization header: 400 invalid_request', () => {
    it.each([
      ['"Bearer"', () => 'Bearer'],
      ['"Bearer " (trailing space)', () => 'Bearer '],
      ['"Bearer a b"', () => 'Bearer a b'],
      ['"Bearer <jwt> garbage"', () => `Bearer ${jwt} garbage`],
      ['"Bearer <jwt>,<jwt>"', () => `Bearer ${jwt},${jwt}`],
      ['"Bearer" and a quoted token', () => `Bearer "${jwt}"`],
      ['"Bearer =" (padding only)', () => 'Bearer ='],
    ])('refuses %s', async (_case, header) => {
      const response = await rawGet(url, '/users', { authorization: header() });
      expectRefusal(response, REFUSALS.malformedRequest);
    });
  });

  describe('a token in more than one place: 400 invalid_request', () => {
    it('refuses a token in the header and in ?access_token=', async () => {
      const response = await request(url)
        .get('/users')
        .set('Authorization', `Bearer ${jwt}`)
        .query({ access_token: jwt });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses a token in the header and an empty ?access_token=', async () => {
      const response = await request(url)
        .get('/users?access_token=')
        .set('Authorization', `Bearer ${jwt}`);
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses another scheme in the header and a token in ?access_token=', async () => {
      const response = await request(url)
        .get('/users')
        .set('Authorization', 'Basic xxx')
        .query({ access_token: jwt });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses two Authorization headers carrying the same token', async () => {
      const response = await rawGet(url, '/users', {
        authorization: [`Bearer ${jwt}`, `Bearer ${jwt}`],
      });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses two Authorization headers of different schemes', async () => {
      const response = await rawGet(url, '/users', {
        authorization: ['Basic xxx', `Bearer ${jwt}`],
      });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it.each([
      ['an empty one, then one with a token', () => ['', `Bearer ${jwt}`]],
      ['one with a token, then an empty one', () => [`Bearer ${jwt}`, '']],
    ])('refuses two Authorization headers, %s, whatever their order', async (_case, headers) => {
      const response = await rawGet(url, '/users', { authorization: headers() });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('refuses a token in the header and in the form body', async () => {
      const response = await request(url)
        .post('/users')
        .set('Authorization', `Bearer ${jwt}`)
        .type('form')
        .send({ access_token: jwt, name: 'x', email: 'x@acme.example' });
      expectRefusal(response, REFUSALS.multipleCredentials);
    });

    it('answers 200 on a public route whatever the credentials (two headers)', async () => {
      const response = await rawGet(url, '/health', {
        authorization: [`Bearer ${jwt}`, `Bearer ${jwt}`],
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });
  });

  describe('a token outside the Authorization header: 400 invalid_request', () => {
    it('refuses a token only in the query string', async () => {
      const response = await request(url).get('/users').query({ access_token: jwt });
      expectRefusal(response, REFUSALS.tokenInQuery);
    });

    it('refuses a token only in the form body', async () => {
      const response = await request(url)
        .post('/users')
        .type('form')
        .send({ access_token: jwt, name: 'x', email: 'x@acme.example' });
      expectRefusal(response, REFUSALS.tokenInBody);
    });
  });

  describe('no 5xx for anything a client puts in the Authorization header', () => {
    const header = (fields: Record<string, unknown> | unknown[] | string): string =>
      encodeSegment(fields);
    const kid = (): string => String(decodeJwt(jwt).header['kid']);
    // The trusted issuer's `iss`: a token naming none is refused before any key lookup.
    const e30 = (): string => encodeSegment({ iss: running().issuer });

    const { malformedToken, unknownKid, badSignature, unsupportedAlgorithm } = REFUSALS;
    const nested = JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`) as unknown[];

    it.each([
      ['a long run of token characters', () => 'A'.repeat(8_000), malformedToken],
      ['three dots', () => '...', malformedToken],
      ['a.b.c', () => 'a.b.c', malformedToken],
      ['tildes', () => '~~~~', malformedToken],
      ['four segments', () => `${jwt}.c2ln`, malformedToken],
      ['a header that is a JSON array', () => `${header([])}.${e30()}.c2ln`, malformedToken],
      ['a header that is a JSON string', () => `${header('RS256')}.${e30()}.c2ln`, malformedToken],
      ['a deeply nested JSON header', () => `${header(nested)}.${e30()}.c2ln`, malformedToken],
      [
        'a kid that is an object',
        () => `${header({ alg: 'RS256', kid: {} })}.${e30()}.c2ln`,
        malformedToken,
      ],
      [
        'a kid "__proto__"',
        () => `${header({ alg: 'RS256', kid: '__proto__' })}.${e30()}.c2ln`,
        unknownKid,
      ],
      [
        'a 4000-character kid',
        () => `${header({ alg: 'RS256', kid: 'k'.repeat(4000) })}.${e30()}.c2ln`,
        unknownKid,
      ],
      [
        'no kid (the only key is tried)',
        () => `${header({ alg: 'RS256' })}.${e30()}.c2ln`,
        badSignature,
      ],
      [
        'the real kid and a payload that is not JSON',
        () => `${header({ alg: 'RS256', kid: kid() })}.bm90IGpzb24.c2ln`,
        // RFC 7519 §7.2: the payload must be a JSON object; refused before any key is used.
        malformedToken,
      ],
      [
        'the real kid and an array payload',
        () => `${header({ alg: 'RS256', kid: kid() })}.${encodeSegment([1])}.c2ln`,
        // RFC 7519 §7.2: the payload must be a JSON object; refused before any key is used.
        malformedToken,
      ],
      [
        'the real kid and a jku to follow (ignored)',
        () =>
          `${header({ alg: 'RS256', kid: kid(), jku: 'http://127.0.0.1:1/jwks' })}.${e30()}.c2ln`,
        badSignature,
      ],
      [
        'alg ES256 with the RSA kid',
        () => `${header({ alg: 'ES256', kid: kid() })}.${e30()}.c2ln`,
        unsupportedAlgorithm,
      ],
      [
        'alg HS256 with the RSA kid',
        () => `${header({ alg: 'HS256', kid: kid() })}.${e30()}.c2ln`,
        unsupportedAlgorithm,
      ],
      [
        'an alg that is a number',
        () => `${header({ alg: 256 })}.${e30()}.c2ln`,
        unsupportedAlgorithm,
      ],
      [
        'a crit header',
        () => `${header({ alg: 'RS256', kid: kid(), crit: ['exp'] })}.${e30()}.c2ln`,
        REFUSALS.unsupportedHeader,
      ],
      [
        'a typ that is an object',
        () => `${header({ alg: 'RS256', kid: kid(), typ: {} })}.${e30()}.c2ln`,
        REFUSALS.badTokenType,
      ],
    ])('answers 401 invalid_token for %s', async (_case, token, expected) => {
      const response = await rawGet(url, '/users', { authorization: `Bearer ${token()}` });
      expectRefusal(response, expected);
    });

    it.each([
      ['a tab after the scheme', () => `Bearer\t${jwt}`],
      ['Latin-1 characters', () => 'Bearer caf\u00e9'],
      ['a comma-separated second scheme', () => `Bearer ${jwt}, Basic xxx`],
      ['only spaces after the scheme', () => 'Bearer     '],
    ])('answers 400 or 401 with a challenge for %s', async (_case, value) => {
      const response = await rawGet(url, '/users', { authorization: value() });
      expect([400, 401]).toContain(response.status);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
    });

    it('answers below 500 for a header larger than the server accepts', async () => {
      const response = await rawGet(url, '/users', {
        authorization: `Bearer ${'a'.repeat(20_000)}`,
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });

    it('never echoes token content in the challenge or body', async () => {
      const marker = 'EchoMarker';
      const token = `${header({ alg: 'RS256', kid: marker })}.${encodeSegment({ iss: running().issuer, sub: marker })}.c2ln`;
      const response = await rawGet(url, '/users', { authorization: `Bearer ${token}` });
      expectRefusal(response, REFUSALS.unknownKid);
      expect(JSON.stringify(response.headers)).not.toContain(marker);
      expect(JSON.stringify(response.body)).not.toContain(marker);
    });
  });
});
