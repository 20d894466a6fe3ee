import type { BearerErrorReason } from '../errors/bearer-error-reasons';
import { refusalOf } from '../errors/bearer-refusal.spec-helper';
import type { SupportedAlgorithm } from '../oauth-jwt-options.interface';
import { base64url, encodeSegment, unsignedJws } from '../testing/jws';
import { decodeJoseHeader } from './decode-jose-header';

const ALGORITHMS: readonly SupportedAlgorithm[] = ['RS256', 'ES256'];
const TOKEN_TYPES = ['at+jwt', 'application/at+jwt', 'jwt'];
const PAYLOAD = { sub: 'partner-a' };

function decode(token: string) {
  return decodeJoseHeader(token, ALGORITHMS, TOKEN_TYPES);
}

/** A token whose header is the JSON text of `header` (any JSON value). */
function withHeader(header: unknown): string {
  return unsignedJws(JSON.stringify(header), PAYLOAD, 'c2ln');
}

const reasonOf = (token: string): BearerErrorReason => refusalOf(() => decode(token)).reason;

describe('decodeJoseHeader', () => {
  it('returns alg and kid of a valid header', () => {
    expect(decode(withHeader({ alg: 'RS256', kid: 'key-1', typ: 'at+jwt' }))).toEqual({
      alg: 'RS256',
      kid: 'key-1',
    });
  });

  it('returns kid undefined when the header has none', () => {
    expect(decode(withHeader({ alg: 'ES256' }))).toEqual({ alg: 'ES256', kid: undefined });
  });

  it('ignores jku, x5u, jwk, jwks, x5c and x5t (keys come only from the configured JWKS)', () => {
    const header = {
      alg: 'RS256',
      kid: 'k',
      jku: 'https://evil.test/jwks',
      x5u: 'https://evil.test/cert',
      jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
      jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] },
      x5c: ['MIIB'],
      x5t: 'dGh1bWI',
      'x5t#S256': 'dGh1bWI',
    };
    expect(decode(withHeader(header))).toEqual({ alg: 'RS256', kid: 'k' });
  });

  describe('refuses non-compact and unreadable tokens with malformed_token', () => {
    const header = encodeSegment({ alg: 'RS256' });
    const payload = encodeSegment(PAYLOAD);
    it.each([
      ['an empty string', ''],
      ['one segment', header],
      ['two segments', `${header}.${payload}`],
      ['an empty signature', `${header}.${payload}.`],
      ['an empty payload', `${header}..c2ln`],
      ['an empty header', `.${payload}.c2ln`],
      ['four segments', `${header}.${payload}.c2ln.c2ln`],
      ['JWE compact (five segments)', `${header}.a.b.c.d`],
      ['JWS JSON serialization', JSON.stringify({ payload, signatures: [] })],
      ['standard base64 characters', `${header}.${payload}.c2l+/w==`],
      ['padding', `${header}=.${payload}.c2ln`],
      ['whitespace', `${header}.${payload}.c2ln `],
      ['a header that is not base64 of JSON', `${base64url('not json')}.${payload}.c2ln`],
      ['a header of a single base64url character', `a.${payload}.c2ln`],
      ['a header that is invalid UTF-8', `${base64url(Buffer.from([0xff, 0xfe]))}.${payload}.c2ln`],
      ['a header that is a JSON array', withHeader(['RS256'])],
      ['a header that is JSON null', withHeader(null)],
      ['a header that is a JSON string', withHeader('RS256')],
      ['a header that is a JSON number', withHeader(256)],
      ['only dots ".."', '..'],
      ['only dots "..."', '...'],
      ['a leading dot', `.${header}.${payload}.c2ln`],
      ['a trailing dot', `${header}.${payload}.c2ln.`],
      ['"==" padding at the end', `${header}.${payload}.c2ln==`],
      ['"~" (a b64token character, not base64url)', `${header}.${payload}.c2~n`],
      ['a header that is truncated JSON', `${base64url('{"alg":"RS256"')}.${payload}.c2ln`],
      [
        'a header behind a byte-order mark (RFC 8259 §8.1, RFC 8725 §3.7)',
        `${base64url('\uFEFF{"alg":"RS256"}')}.${payload}.c2ln`,
      ],
      [
        'a header encoded as UTF-16LE (RFC 8725 §3.7)',
        `${base64url(Buffer.from('{"alg":"RS256"}', 'utf16le'))}.${payload}.c2ln`,
      ],
    ])('for %s', (_label, token) => {
      expect(reasonOf(token)).toBe('malformed_token');
    });
  });

  describe('decodes header and payload as strict UTF-8 (RFC 7519 §7.2 step 10): malformed_token, never U+FFFD', () => {
    /** JSON text with `bytes` inside a string member, as raw bytes. */
    const jsonWith = (prefix: string, bytes: number[], suffix: string): Buffer =>
      Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from(suffix)]);
    const header = encodeSegment({ alg: 'RS256' });
    const payload = encodeSegment(PAYLOAD);

    it.each([
      ['a lone continuation byte', [0x80]],
      ['a truncated two-byte sequence', [0xc3]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['an encoded UTF-16 surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
      ['a byte that never occurs in UTF-8', [0xff]],
    ])('in a header member: %s', (_label, bytes) => {
      const bad = base64url(jsonWith('{"alg":"RS256","kid":"k', bytes, '"}'));
      expect(reasonOf(`${bad}.${payload}.c2ln`)).toBe('malformed_token');
    });

    it.each([
      ['a lone continuation byte', [0x80]],
      ['an encoded UTF-16 surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
      ['a byte that never occurs in UTF-8', [0xff]],
    ])('in a claim: %s', (_label, bytes) => {
      const bad = base64url(jsonWith('{"sub":"partner-a","name":"', bytes, '"}'));
      expect(reasonOf(`${header}.${bad}.c2ln`)).toBe('malformed_token');
    });

    it('refuses a payload behind a UTF-8 byte-order mark (RFC 8259 §8.1)', () => {
      const bom = base64url(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]));
      expect(reasonOf(`${header}.${bom}.c2ln`)).toBe('malformed_token');
    });

    it('accepts valid multi-byte UTF-8 in header and claims (control)', () => {
      const token = unsignedJws(
        { alg: 'RS256', kid: 'clé-🔑' },
        { sub: 'partner-ä', name: '東京' },
        'c2ln',
      );
      expect(decode(token)).toEqual({ alg: 'RS256', kid: 'clé-🔑' });
    });
  });

  describe('refuses a payload that is not a JSON object (RFC 7519 §7.2 step 10) with malformed_token', () => {
    const header = encodeSegment({ alg: 'RS256', typ: 'at+jwt' });
    it.each([
      ['a JSON array', '["partner-a"]'],
      ['a JSON string', '"partner-a"'],
      ['JSON null', 'null'],
      ['a JSON number', '42'],
      ['not JSON at all', 'not json'],
      ['truncated JSON that starts like an object', '{"sub":"partner-a",'],
    ])('for %s', (_label, json) => {
      expect(reasonOf(`${header}.${base64url(json)}.c2ln`)).toBe('malformed_token');
    });
  });

  describe('reads members named like prototype keys as plain members (CWE-1321)', () => {
    const raw = (members: string): string => unsignedJws(`{${members}}`, PAYLOAD, 'c2ln');

    it('refuses an alg offered only through "__proto__" with unsupported_algorithm', () => {
      expect(reasonOf(raw('"__proto__":{"alg":"RS256"},"typ":"at+jwt","kid":"k"'))).toBe(
        'unsupported_algorithm',
      );
      expect(({} as Record<string, unknown>)['alg']).toBeUndefined();
    });

    it.each([
      ['"__proto__"', '"__proto__":{"polluted":"header"}'],
      ['"constructor.prototype"', '"constructor":{"prototype":{"polluted":"header"}}'],
    ])('accepts a header carrying %s, unpolluted', (_label, member) => {
      expect(decode(raw(`"alg":"RS256","kid":"k",${member}`))).toEqual({ alg: 'RS256', kid: 'k' });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  describe('refuses algorithms outside the allow-list with unsupported_algorithm', () => {
    it.each([
      ['none', { alg: 'none' }],
      ['None', { alg: 'None' }],
      ['NONE', { alg: 'NONE' }],
      ['HS256', { alg: 'HS256' }],
      ['RS512, supported but not configured', { alg: 'RS512' }],
      ['rs256 in lowercase', { alg: 'rs256' }],
      ['EdDSA', { alg: 'EdDSA' }],
      ['a missing alg', { kid: 'k' }],
      ['an empty alg', { alg: '' }],
      ['an alg that is not a string', { alg: ['RS256'] }],
      ['none even with crit', { alg: 'none', crit: ['exp'] }],
      ['nOnE', { alg: 'nOnE' }],
      ['a null alg', { alg: null }],
      ['an alg that is a number', { alg: 256 }],
      ['"RS256 " with a trailing space', { alg: 'RS256 ' }],
      ['HS384', { alg: 'HS384' }],
      ['HS512', { alg: 'HS512' }],
      ['RS384, supported but not configured', { alg: 'RS384' }],
      ['PS256, supported but not configured', { alg: 'PS256' }],
      ['RSA-OAEP (a JWE algorithm)', { alg: 'RSA-OAEP' }],
      ['dir (a JWE algorithm)', { alg: 'dir' }],
      ['ES256K', { alg: 'ES256K' }],
    ])('for %s', (_label, header) => {
      expect(reasonOf(withHeader(header))).toBe('unsupported_algorithm');
    });
  });

  describe('refuses JWS extensions with unsupported_header', () => {
    it.each([
      ['crit', { alg: 'RS256', crit: ['exp'] }],
      ['an empty crit', { alg: 'RS256', crit: [] }],
      ['b64 false', { alg: 'RS256', b64: false }],
      ['b64 true', { alg: 'RS256', b64: true }],
      ['crit naming an unknown extension', { alg: 'RS256', crit: ['x-policy'], 'x-policy': 1 }],
      ['crit naming a registered parameter', { alg: 'RS256', crit: ['alg'] }],
      ['crit naming an absent parameter', { alg: 'RS256', crit: ['x-missing'] }],
      ['crit naming b64 with b64 false', { alg: 'RS256', crit: ['b64'], b64: false }],
      ['crit as a string', { alg: 'RS256', crit: 'b64' }],
      ['crit null', { alg: 'RS256', crit: null }],
    ])('for %s', (_label, header) => {
      expect(reasonOf(withHeader(header))).toBe('unsupported_header');
    });
  });

  describe('refuses a cty naming a nested JWT (RFC 7519 §5.2, §7.2 step 8) with unsupported_header', () => {
    it.each(['JWT', 'jwt', 'Jwt', 'application/jwt', 'Application/JWT', 'APPLICATION/JWT'])(
      'for cty %s',
      (cty) => {
        expect(reasonOf(withHeader({ alg: 'RS256', typ: 'at+jwt', cty }))).toBe(
          'unsupported_header',
        );
      },
    );

    it.each(['json', 'application/json', 'at+jwt', 'JWTX'])(
      'accepts cty %s, which names no nested JWT',
      (cty) => {
        expect(decode(withHeader({ alg: 'RS256', cty }))).toEqual({ alg: 'RS256', kid: undefined });
      },
    );
  });

  describe('refuses a kid that is not a non-empty string with malformed_token', () => {
    it.each([
      ['a number', 1],
      ['an empty string', ''],
      ['null', null],
      ['true', true],
      ['an array', ['k']],
      ['an object', { id: 'k' }],
      ['an object with a toString', { toString: 'k' }],
    ])('for %s', (_label, kid) => {
      expect(reasonOf(withHeader({ alg: 'RS256', kid }))).toBe('malformed_token');
    });
  });

  describe('reads a duplicated member as its last value (RFC 7515 §4), as every parser here does', () => {
    const raw = (members: string): string => unsignedJws(`{${members}}`, PAYLOAD, 'c2ln');

    it.each([
      ['alg', '"alg":"RS256","kid":"k","alg":"none"', 'unsupported_algorithm'],
      ['typ', '"alg":"RS256","typ":"at+jwt","typ":"id+jwt"', 'bad_token_type'],
    ] as const)('refuses a second %s that is refused on its own', (_label, members, reason) => {
      expect(reasonOf(raw(members))).toBe(reason);
    });

    it('returns the last kid', () => {
      expect(decode(raw('"alg":"RS256","kid":"k","kid":"unknown"'))).toEqual({
        alg: 'RS256',
        kid: 'unknown',
      });
    });
  });

  describe('typ', () => {
    it.each([
      'at+jwt',
      'AT+JWT',
      'application/at+jwt',
      'Application/AT+JWT',
      'JWT',
      'jwt',
      'Jwt',
      'application/jwt',
    ])('accepts typ %s case-insensitively', (typ) => {
      expect(decode(withHeader({ alg: 'RS256', typ }))).toEqual({ alg: 'RS256', kid: undefined });
    });

    it('accepts a header without typ', () => {
      expect(decode(withHeader({ alg: 'RS256' }))).toEqual({ alg: 'RS256', kid: undefined });
    });

    it.each([
      ['an ID token type', 'id+jwt'],
      ['a logout token', 'logout+jwt'],
      ['a security event token (RFC 8417)', 'secevent+jwt'],
      ['a DPoP proof (RFC 9449)', 'dpop+jwt'],
      ['an introspection response (RFC 9701)', 'token-introspection+jwt'],
      ['at+jwt with parameters', 'at+jwt; charset=utf-8'],
      ['an array', ['at+jwt']],
      ['a JWE type', 'JOSE'],
      ['JOSE+JSON', 'JOSE+JSON'],
      ['a refresh token type', 'rt+jwt'],
      ['a prefix of at+jwt', 'at'],
      ['at+jwt with spaces', ' at+jwt '],
      ['an empty string', ''],
      ['a number', 1],
      ['null', null],
    ])('refuses typ of %s with bad_token_type', (_label, typ) => {
      expect(reasonOf(withHeader({ alg: 'RS256', typ }))).toBe('bad_token_type');
    });

    it('follows the configured types only', () => {
      const token = withHeader({ alg: 'RS256', typ: 'JWT' });
      expect(() => decodeJoseHeader(token, ALGORITHMS, ['at+jwt'])).toThrow(
        expect.objectContaining({ reason: 'bad_token_type' }),
      );
      expect(decodeJoseHeader(withHeader({ alg: 'RS256' }), ALGORITHMS, [])).toEqual({
        alg: 'RS256',
        kid: undefined,
      });
    });
  });
});
