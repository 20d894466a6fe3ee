import type { BearerErrorReason } from '../errors/bearer-error-reasons';
import { refusalOf } from '../errors/bearer-refusal.spec-helper';
import { readBearerToken, readKnownBearerToken, type BearerRequest } from './read-bearer-token';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';

function request(authorization?: string | string[], extra: Partial<BearerRequest> = {}) {
  return { headers: authorization === undefined ? {} : { authorization }, ...extra };
}

/** The reason and status readBearerToken refuses `req` with. */
function refusalFor(req: BearerRequest): { reason: BearerErrorReason; status: number } {
  const refusal = refusalOf(() => readBearerToken(req));
  return { reason: refusal.reason, status: refusal.getStatus() };
}

describe('readBearerToken', () => {
  describe('reads the token', () => {
    it.each([
      ['canonical Bearer', `Bearer ${TOKEN}`],
      ['lowercase bearer', `bearer ${TOKEN}`],
      ['uppercase BEARER', `BEARER ${TOKEN}`],
      ['several spaces after the scheme', `Bearer   ${TOKEN}`],
    ])('from a header with %s', (_label, header) => {
      expect(readBearerToken(request(header))).toBe(TOKEN);
    });

    it.each(['abc-._~+/XYZ019', 'abc=', 'abc==', 'a'])(
      'with every b64token character and trailing padding: %s',
      (token) => {
        expect(readBearerToken(request(`Bearer ${token}`))).toBe(token);
      },
    );

    it('when rawHeaders list exactly one Authorization header (Express)', () => {
      const req = request(`Bearer ${TOKEN}`, {
        rawHeaders: ['Host', 'api.test', 'Authorization', `Bearer ${TOKEN}`, 'Accept', '*/*'],
      });
      expect(readBearerToken(req)).toBe(TOKEN);
    });

    it('when query and body exist without access_token', () => {
      const req = request(`Bearer ${TOKEN}`, { query: { page: '2' }, body: { name: 'x' } });
      expect(readBearerToken(req)).toBe(TOKEN);
    });
  });

  describe('no bearer credential: 401 missing_token (bare challenge)', () => {
    it.each([
      ['no Authorization header', request()],
      ['an empty Authorization header', request('')],
      ['the Basic scheme', request('Basic dXNlcjpwYXNz')],
      ['the Digest scheme', request('Digest username="a"')],
      ['the token under Basic', request(`Basic ${TOKEN}`)],
      ['the token under DPoP (RFC 9449)', request(`DPoP ${TOKEN}`)],
      ['the token under Token', request(`Token ${TOKEN}`)],
      ['a scheme that merely starts with Bearer', request(`Bearerx ${TOKEN}`)],
      ['a scheme named Bearer-Token', request(`Bearer-Token ${TOKEN}`)],
      ['a bare token without scheme', request(TOKEN)],
    ])('for %s', (_label, req) => {
      expect(refusalFor(req)).toEqual({ reason: 'missing_token', status: 401 });
    });
  });

  describe('malformed Bearer header: 400 malformed_request', () => {
    it.each([
      ['Bearer alone', 'Bearer'],
      ['Bearer and one space', 'Bearer '],
      ['Bearer and two spaces', 'Bearer  '],
      ['two tokens', 'Bearer a b'],
      ['a trailing space', `Bearer ${TOKEN} `],
      ['a tab as separator', `Bearer\t${TOKEN}`],
      ['a tab after the space', `Bearer \t${TOKEN}`],
      ['a trailing tab', 'Bearer\t'],
      ['an equals sign as separator', `Bearer=${TOKEN}`],
      ['two Bearer credentials in one header', `Bearer ${TOKEN}, Bearer ${TOKEN}`],
      ['the token as an auth-param', `Bearer token=${TOKEN}`],
      ['a tab inside', 'Bearer ab\tc'],
      ['a comma as separator', `Bearer,${TOKEN}`],
      ['a comma-separated second credential', `Bearer ${TOKEN}, Basic dXNlcjpwYXNz`],
      ['a comma inside the token', 'Bearer abc,def'],
      ['padding in the middle', 'Bearer ab=c'],
      ['padding only', 'Bearer ='],
      ['a quoted token', 'Bearer "abc"'],
      ['a non-ASCII character', 'Bearer abcé'],
      ['an auth-param instead of a token', 'Bearer realm="api"'],
      ['a colon', 'Bearer:abc'],
      ['an asterisk', 'Bearer ab*c'],
      ['a backslash', 'Bearer ab\\c'],
      ['a percent-encoded dot', 'Bearer ab%2Ec'],
      ['a line break', 'Bearer abc\ndef'],
    ])('for %s', (_label, header) => {
      expect(refusalFor(request(header))).toEqual({ reason: 'malformed_request', status: 400 });
    });
  });

  describe('more than one credential: 400 multiple_credentials', () => {
    it('when Node joined duplicate headers into an array', () => {
      expect(refusalFor(request([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]))).toEqual({
        reason: 'multiple_credentials',
        status: 400,
      });
    });

    it('when Express rawHeaders carry two Authorization headers', () => {
      const req = request(`Bearer ${TOKEN}`, {
        rawHeaders: ['authorization', `Bearer ${TOKEN}`, 'AUTHORIZATION', 'Bearer other'],
      });
      expect(refusalFor(req)).toEqual({ reason: 'multiple_credentials', status: 400 });
    });

    it('when Fastify raw.rawHeaders carry two Authorization headers', () => {
      const req = request(`Bearer ${TOKEN}`, {
        raw: {
          rawHeaders: ['Authorization', `Bearer ${TOKEN}`, 'Host', 'x', 'Authorization', 'Basic x'],
        },
      });
      expect(refusalFor(req)).toEqual({ reason: 'multiple_credentials', status: 400 });
    });

    it('does not count a header whose value is "Authorization"', () => {
      const req = request(`Bearer ${TOKEN}`, {
        rawHeaders: ['Authorization', `Bearer ${TOKEN}`, 'X-Note', 'Authorization'],
      });
      expect(readBearerToken(req)).toBe(TOKEN);
    });

    it.each([
      ['query', { query: { access_token: TOKEN } }],
      ['body', { body: { access_token: TOKEN } }],
      ['query, even empty', { query: { access_token: '' } }],
    ])('when the header and the %s both carry a token', (_label, extra) => {
      expect(refusalFor(request(`Bearer ${TOKEN}`, extra))).toEqual({
        reason: 'multiple_credentials',
        status: 400,
      });
    });

    it('when another scheme is in the header and a token is in the query', () => {
      const req = request('Basic dXNlcjpwYXNz', { query: { access_token: TOKEN } });
      expect(refusalFor(req)).toEqual({ reason: 'multiple_credentials', status: 400 });
    });
  });

  describe('token outside the header: 400', () => {
    it('refuses a token only in the query string with token_in_query', () => {
      expect(refusalFor(request(undefined, { query: { access_token: TOKEN } }))).toEqual({
        reason: 'token_in_query',
        status: 400,
      });
    });

    it('refuses two access_token values in the query string (an array) with token_in_query', () => {
      expect(refusalFor(request(undefined, { query: { access_token: [TOKEN, TOKEN] } }))).toEqual({
        reason: 'token_in_query',
        status: 400,
      });
    });

    it('refuses a token only in a null-prototype query object (Express 5 parser)', () => {
      const query = Object.assign(Object.create(null) as object, { access_token: TOKEN });
      expect(refusalFor(request(undefined, { query }))).toEqual({
        reason: 'token_in_query',
        status: 400,
      });
    });

    it('refuses a token only in the form body with token_in_body', () => {
      expect(refusalFor(request(undefined, { body: { access_token: TOKEN } }))).toEqual({
        reason: 'token_in_body',
        status: 400,
      });
    });

    it('names the query first when both query and body carry one', () => {
      const req = request(undefined, {
        query: { access_token: TOKEN },
        body: { access_token: TOKEN },
      });
      expect(refusalFor(req).reason).toBe('token_in_query');
    });

    it('ignores access_token inherited from a prototype', () => {
      const body = Object.create({ access_token: TOKEN }) as object;
      expect(refusalFor(request(undefined, { body })).reason).toBe('missing_token');
    });

    it('ignores a body that is a string', () => {
      expect(refusalFor(request(undefined, { body: 'access_token=abc' })).reason).toBe(
        'missing_token',
      );
    });
  });

  describe('the query string', () => {
    function withQueryGetter(url: string): { req: BearerRequest; reads: () => number } {
      let reads = 0;
      const req = request(`Bearer ${TOKEN}`, { url });
      Object.defineProperty(req, 'query', {
        get: () => {
          reads += 1;
          return { access_token: TOKEN };
        },
      });
      return { req, reads: () => reads };
    }

    it('is not parsed when the URL has none (Express 5 parses it on every read)', () => {
      const { req, reads } = withQueryGetter('/users/42');
      expect(readBearerToken(req)).toBe(TOKEN);
      expect(reads()).toBe(0);
    });

    it('is read when the URL has one, and a token there is refused', () => {
      const { req, reads } = withQueryGetter('/users?access_token=x');
      expect(refusalFor(req)).toEqual({ reason: 'multiple_credentials', status: 400 });
      expect(reads()).toBe(1);
    });
  });
});

describe('readKnownBearerToken (the warm path)', () => {
  const known = new Map([[TOKEN, 'principal']]);
  const lookup = (token: string) => known.get(token);

  it('answers what lookup knows for a canonical `Bearer <token>` header', () => {
    expect(readKnownBearerToken(request(`Bearer ${TOKEN}`), lookup)).toBe('principal');
  });

  it.each([
    ['an unknown token', 'Bearer abc'],
    ['another spelling of the scheme', `bearer ${TOKEN}`],
    ['two spaces', `Bearer  ${TOKEN}`],
    ['no header', undefined],
  ])('answers undefined (read strictly instead) for %s', (_label, header) => {
    expect(readKnownBearerToken(request(header), lookup)).toBeUndefined();
  });

  it.each<[string, BearerRequest]>([
    [
      'a second Authorization header',
      request(`Bearer ${TOKEN}`, {
        rawHeaders: ['Authorization', `Bearer ${TOKEN}`, 'authorization', 'Basic eA=='],
      }),
    ],
    [
      'a token in the query',
      request(`Bearer ${TOKEN}`, { url: '/?access_token=x', query: { access_token: 'x' } }),
    ],
    ['a token in the body', request(`Bearer ${TOKEN}`, { body: { access_token: 'x' } })],
  ])('refuses a known token with %s: 400 multiple_credentials', (_label, req) => {
    expect(() => readKnownBearerToken(req, lookup)).toThrow(
      expect.objectContaining({ reason: 'multiple_credentials', status: 400 }),
    );
  });
});
