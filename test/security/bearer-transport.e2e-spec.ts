import { expectAccepted, expectRefusal } from './support/assertions';
import { REFUSAL } from './support/refusals';
import { SecurityHarness } from './support/security-harness';

/**
 * How the token travels (RFC 6750 §2, RFC 9110 §11.6.2): every malformed `Authorization` form,
 * other schemes, duplicated credentials (two headers, header + query, header + body) and tokens
 * only in the query string (RFC 9700 and RFC 6750 §5.3: never) or in a form body.
 */
describe('Security: bearer token transport', () => {
  let h: SecurityHarness;
  let token: string;

  beforeAll(async () => {
    h = await SecurityHarness.start();
    token = h.token();
  });

  afterAll(async () => {
    await h.close();
  });

  describe('the Authorization header (RFC 6750 §2.1: "Bearer" 1*SP b64token; RFC 9110 §11.1 case-insensitive scheme)', () => {
    it('answers no Authorization header with 401 and a bare challenge (RFC 6750 §3.1)', async () => {
      expectRefusal(await h.get(), REFUSAL.missingToken);
    });

    it.each<[string, () => string]>([
      ['an empty value', () => ''],
      ['the token without a scheme', () => token],
      ['"Basic" credentials', () => 'Basic dXNlcjpwYXNzd29yZA=='],
      ['the token under "Basic"', () => `Basic ${token}`],
      ['"Digest" credentials', () => 'Digest username="partner-a", response="x"'],
      ['the token under "DPoP" (RFC 9449)', () => `DPoP ${token}`],
      ['the token under "MAC"', () => `MAC ${token}`],
      ['the token under "Token"', () => `Token ${token}`],
      ['the scheme "BearerX"', () => `BearerX ${token}`],
    ])(
      'answers %s with 401 and a bare challenge (not a Bearer credential)',
      async (_label, value) => {
        expectRefusal(await h.get(value()), REFUSAL.missingToken);
      },
    );

    it.each<[string, () => string]>([
      ['"Bearer" alone', () => 'Bearer'],
      [
        '"Bearer" and a tab before the token (only SP separates; a tab is not a tchar)',
        () => `Bearer\t${token}`,
      ],
      ['"Bearer:" and the token', () => `Bearer:${token}`],
      ['"Bearer=" and the token', () => `Bearer=${token}`],
      ['"Bearer," and the token', () => `Bearer,${token}`],
      ['"Bearer " (the trailing space is trimmed by Node)', () => 'Bearer '],
      ['"Bearer" and a trailing tab', () => 'Bearer\t'],
      ['"Bearer a b"', () => 'Bearer a b'],
      ['two tokens separated by a space', () => `Bearer ${token} ${token}`],
      ['two tokens separated by a comma', () => `Bearer ${token},${token}`],
      ['two Bearer credentials in one header', () => `Bearer ${token}, Bearer ${token}`],
      ['the token as an auth-param (token=...)', () => `Bearer token=${token}`],
      ['the token in quotes', () => `Bearer "${token}"`],
      ['the token and a tab in between', () => `Bearer ${token.replace('.', '\t.')}`],
      ['"Bearer" and only padding', () => 'Bearer ==='],
    ])('refuses %s with 400 invalid_request', async (_label, value) => {
      expectRefusal(await h.get(value()), REFUSAL.malformedRequest);
    });

    it.each<[string, () => string]>([
      ['a lower-case scheme "bearer"', () => `bearer ${token}`],
      ['an upper-case scheme "BEARER"', () => `BEARER ${token}`],
      ['two spaces after the scheme (1*SP)', () => `Bearer  ${token}`],
      ['leading whitespace (trimmed by Node as OWS)', () => ` Bearer ${token}`],
    ])('accepts %s (control)', async (_label, value) => {
      expectAccepted(await h.get(value()));
    });

    it('refuses a very long non-JWT b64token (8,000 characters) with 401 malformed', async () => {
      expectRefusal(await h.get(`Bearer ${'A'.repeat(8000)}`), REFUSAL.malformedToken);
    });

    it('refuses b64token characters that are not base64url ("~") with 401 malformed', async () => {
      expectRefusal(await h.get(`Bearer ${'~'.repeat(100)}`), REFUSAL.malformedToken);
    });

    it('answers HEAD /users without a token with 401 and the challenge (verb tampering)', async () => {
      const response = await h.send({ method: 'HEAD' });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    });

    it.each<[string, () => Record<string, string>]>([
      ['X-Access-Token', () => ({ 'x-access-token': token })],
      ['a cookie', () => ({ cookie: `access_token=${token}` })],
      ['Proxy-Authorization', () => ({ 'proxy-authorization': `Bearer ${token}` })],
      ['X-Forwarded-Authorization', () => ({ 'x-forwarded-authorization': `Bearer ${token}` })],
    ])('ignores a token in %s: 401 and a bare challenge', async (_label, headers) => {
      expectRefusal(await h.send({ headers: headers() }), REFUSAL.missingToken);
    });
  });

  describe('duplicated credentials (RFC 6750 §2: "MUST NOT use more than one method"; §3.1 invalid_request)', () => {
    it('refuses two Authorization headers with the same valid token (raw socket) with 400', async () => {
      const response = await h.raw([
        `Authorization: Bearer ${token}`,
        `Authorization: Bearer ${token}`,
      ]);
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses two Authorization headers differing in name case with 400', async () => {
      const response = await h.raw([
        `Authorization: Bearer ${token}`,
        `authorization: Bearer ${token}`,
      ]);
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses a valid Authorization header followed by a garbage one with 400', async () => {
      expectRefusal(
        await h.raw([`Authorization: Bearer ${token}`, 'Authorization: Bearer x']),
        REFUSAL.multipleCredentials,
      );
    });

    it('refuses a Basic Authorization header followed by a Bearer one with 400', async () => {
      const response = await h.raw([
        'Authorization: Basic dXNlcjpwYXNz',
        `Authorization: Bearer ${token}`,
      ]);
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses an EMPTY Authorization header followed by one with a valid token with 400', async () => {
      expectRefusal(
        await h.raw(['Authorization: ', `Authorization: Bearer ${token}`]),
        REFUSAL.multipleCredentials,
      );
    });

    it('refuses a header token and an access_token query parameter with 400', async () => {
      const response = await h.send({
        path: `/users?access_token=${token}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses a header token and an empty access_token query parameter with 400', async () => {
      const response = await h.send({
        path: '/users?access_token=',
        headers: { authorization: `Bearer ${token}` },
      });
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses a header token and an access_token form field (POST) with 400', async () => {
      const response = await h.send({
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `access_token=${token}&name=Mallory&email=mallory%40example.test`,
      });
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses a header token and an access_token JSON member (POST) with 400', async () => {
      const response = await h.send({
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          access_token: token,
          name: 'Mallory',
          email: 'mallory@example.test',
        }),
      });
      expectRefusal(response, REFUSAL.multipleCredentials);
    });

    it('refuses Basic credentials and an access_token query parameter with 400', async () => {
      const response = await h.send({
        path: `/users?access_token=${token}`,
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      });
      expectRefusal(response, REFUSAL.multipleCredentials);
    });
  });

  describe('tokens outside the Authorization header (RFC 9700: no access tokens in query strings; RFC 6750 §2.2/§2.3/§5.3)', () => {
    it('refuses a valid token only in the query string with 400', async () => {
      expectRefusal(await h.send({ path: `/users?access_token=${token}` }), REFUSAL.tokenInQuery);
    });

    it('refuses an empty access_token query parameter with 400', async () => {
      expectRefusal(await h.send({ path: '/users?access_token=' }), REFUSAL.tokenInQuery);
    });

    it('refuses two access_token query parameters with 400', async () => {
      expectRefusal(
        await h.send({ path: `/users?access_token=${token}&access_token=${token}` }),
        REFUSAL.tokenInQuery,
      );
    });

    it('refuses a valid token only in a form body (POST, RFC 6750 §2.2) with 400', async () => {
      const response = await h.send({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${token}`,
      });
      expectRefusal(response, REFUSAL.tokenInBody);
    });

    it('refuses a valid token only in a JSON body (POST) with 400', async () => {
      const response = await h.send({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: token }),
      });
      expectRefusal(response, REFUSAL.tokenInBody);
    });

    it('refuses a valid token only in a form body of a GET with 400', async () => {
      const response = await h.send({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${token}`,
      });
      expectRefusal(response, REFUSAL.tokenInBody);
    });
  });

  describe("Part 4 hygiene over this file's hostile requests", () => {
    it('left no token fragment, key material, stack trace or library message in any response or log line', () => {
      expect(h.exchangeCount).toBeGreaterThan(40);
      expect(h.hygieneProblems()).toEqual([]);
    });
  });
});
