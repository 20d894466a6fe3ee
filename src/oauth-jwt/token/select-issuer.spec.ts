import { BearerTokenException } from '../errors/bearer-token.exception';
import { decodeCompactJws } from './decode-jose-header';
import { selectIssuer } from './select-issuer';

const segment = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: unknown, payload: unknown): string =>
  `${segment(header)}.${segment(payload)}.c2ln`;
const CANDIDATES = new Map([
  ['https://a.test/', 'A'],
  ['https://b.test/', 'B'],
]);
const ANY = { algorithms: ['RS256'] as const, tokenTypes: ['at+jwt', 'jwt'], typeRequired: false };

function reason(raw: string): string {
  try {
    selectIssuer(decodeCompactJws(raw), CANDIDATES, ANY);
  } catch (error) {
    return (error as BearerTokenException).reason;
  }
  return 'selected';
}

describe('selectIssuer', () => {
  it('selects the candidate named by the exact iss', () => {
    const decoded = decodeCompactJws(token({ alg: 'RS256' }, { iss: 'https://b.test/' }));
    expect(selectIssuer(decoded, CANDIDATES, ANY)).toBe('B');
  });

  it.each([
    ['an iss not on the list', { iss: 'https://c.test/' }],
    ['an iss differing by a trailing slash', { iss: 'https://a.test' }],
    ['an iss of another type', { iss: ['https://a.test/'] }],
    ['no iss', {}],
    ['__proto__ as iss', { iss: '__proto__' }],
  ])('refuses %s with bad_issuer', (_case, payload) => {
    expect(reason(token({ alg: 'RS256' }, payload))).toBe('bad_issuer');
  });

  it('says what is wrong with the header first, as with one issuer', () => {
    expect(reason(token({ alg: 'HS256' }, { iss: 'https://c.test/' }))).toBe(
      'unsupported_algorithm',
    );
    expect(reason(token({ alg: 'RS256', crit: ['x'] }, {}))).toBe('unsupported_header');
    expect(reason('a.b')).toBe('malformed_token');
    expect(reason(token({ alg: 'RS256' }, 'not a claim set'))).toBe('malformed_token');
  });
});
