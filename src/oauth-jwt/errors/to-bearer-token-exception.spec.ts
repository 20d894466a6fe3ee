import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as JsonWebToken from 'jsonwebtoken';
import { ecKeyPair, rsaKeyPair } from '../testing/internal/test-keys';
import { encodeSegment, signJws } from '../testing/jws';
import type { BearerErrorReason } from './bearer-error-reasons';
import { BearerTokenException } from './bearer-token.exception';
import { toBearerTokenException } from './to-bearer-token-exception';

// jsonwebtoken is passport-jwt's dependency, not ours: load the very copy passport-jwt verifies with.
const jwt = createRequire(require.resolve('passport-jwt'))('jsonwebtoken') as typeof JsonWebToken;

const NOW = 1_700_000_000;
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'https://api.test';
const VERIFY_OPTIONS: JsonWebToken.VerifyOptions = {
  algorithms: ['RS256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  clockTolerance: 5,
  clockTimestamp: NOW,
};
const CLAIMS = { iss: ISSUER, aud: AUDIENCE, sub: 'partner-a', iat: NOW - 60, exp: NOW + 300 };

const rsa = rsaKeyPair('signer');
const otherRsa = rsaKeyPair('other');
const p256 = ecKeyPair('P-256');
const p384 = ecKeyPair('P-384');

function rs256(claims: Record<string, unknown>, key: KeyObject = rsa.privateKey): string {
  return signJws({ alg: 'RS256', typ: 'at+jwt' }, claims, { alg: 'RS256', key });
}

/** What jsonwebtoken.verify really throws for this token and these options. */
function jsonwebtokenErrorOf(
  token: string,
  publicKey: KeyObject = rsa.publicKey,
  options: JsonWebToken.VerifyOptions = VERIFY_OPTIONS,
): Error {
  try {
    jwt.verify(token, publicKey, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected jsonwebtoken to refuse the token');
}

interface Case {
  readonly label: string;
  readonly error: () => Error;
  readonly name: string;
  readonly message: string;
  readonly reason: BearerErrorReason;
}

const CASES: Case[] = [
  {
    label: 'an expired token',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, exp: NOW - 10 })),
    name: 'TokenExpiredError',
    message: 'jwt expired',
    reason: 'expired',
  },
  {
    label: 'a token whose nbf is ahead',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, nbf: NOW + 60 })),
    name: 'NotBeforeError',
    message: 'jwt not active',
    reason: 'not_yet_valid',
  },
  {
    label: 'a token signed by another key',
    error: () => jsonwebtokenErrorOf(rs256(CLAIMS, otherRsa.privateKey)),
    name: 'JsonWebTokenError',
    message: 'invalid signature',
    reason: 'bad_signature',
  },
  {
    label: 'a token with an empty signature',
    error: () => jsonwebtokenErrorOf(`${rs256(CLAIMS).split('.').slice(0, 2).join('.')}.`),
    name: 'JsonWebTokenError',
    message: 'jwt signature is required',
    reason: 'bad_signature',
  },
  {
    label: 'a token from another issuer',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, iss: 'https://evil.test/' })),
    name: 'JsonWebTokenError',
    message: 'jwt issuer invalid. expected: https://issuer.test/',
    reason: 'bad_issuer',
  },
  {
    label: 'a token for another audience',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, aud: 'https://other-api.test' })),
    name: 'JsonWebTokenError',
    message: 'jwt audience invalid. expected: https://api.test',
    reason: 'bad_audience',
  },
  {
    label: 'a token older than maxAge',
    error: () =>
      jsonwebtokenErrorOf(rs256({ ...CLAIMS, iat: NOW - 1000 }), rsa.publicKey, {
        ...VERIFY_OPTIONS,
        maxAge: 60,
      }),
    name: 'TokenExpiredError',
    message: 'maxAge exceeded',
    reason: 'too_old',
  },
  {
    label: 'a token without iat when maxAge is set',
    // JSON.stringify leaves out an undefined member: the signed payload has no iat.
    error: () =>
      jsonwebtokenErrorOf(rs256({ ...CLAIMS, iat: undefined }), rsa.publicKey, {
        ...VERIFY_OPTIONS,
        maxAge: 60,
      }),
    name: 'JsonWebTokenError',
    message: 'iat required when maxAge is specified',
    reason: 'bad_claim',
  },
  {
    label: 'a token whose exp is a string',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, exp: 'tomorrow' })),
    name: 'JsonWebTokenError',
    message: 'invalid exp value',
    reason: 'bad_claim',
  },
  {
    label: 'a token whose nbf is a string',
    error: () => jsonwebtokenErrorOf(rs256({ ...CLAIMS, nbf: 'now' })),
    name: 'JsonWebTokenError',
    message: 'invalid nbf value',
    reason: 'bad_claim',
  },
  {
    label: 'a string that is not a JWS',
    error: () => jsonwebtokenErrorOf('not-a-jwt'),
    name: 'JsonWebTokenError',
    message: 'jwt malformed',
    reason: 'malformed_token',
  },
  {
    label: 'three segments that do not decode',
    error: () => jsonwebtokenErrorOf('bm90.anNvbg.c2ln'),
    name: 'JsonWebTokenError',
    message: 'invalid token',
    reason: 'malformed_token',
  },
  {
    label: 'an alg outside the allowed algorithms',
    error: () =>
      jsonwebtokenErrorOf(signJws({ alg: 'RS384' }, CLAIMS, { alg: 'RS384', key: rsa.privateKey })),
    name: 'JsonWebTokenError',
    message: 'invalid algorithm',
    reason: 'unsupported_algorithm',
  },
  {
    label: 'an ES256 token checked with an RSA key',
    error: () =>
      jsonwebtokenErrorOf(
        signJws({ alg: 'ES256' }, CLAIMS, { alg: 'ES256', key: p256.privateKey }),
        rsa.publicKey,
        {
          ...VERIFY_OPTIONS,
          algorithms: ['ES256'],
        },
      ),
    name: 'Error',
    message:
      '"alg" parameter for "rsa" key type must be one of: RS256, PS256, RS384, PS384, RS512, PS512.',
    reason: 'unsupported_algorithm',
  },
  {
    label: 'an ES256 token checked with a P-384 key',
    error: () =>
      jsonwebtokenErrorOf(
        signJws({ alg: 'ES256' }, CLAIMS, { alg: 'ES256', key: p256.privateKey }),
        p384.publicKey,
        {
          ...VERIFY_OPTIONS,
          algorithms: ['ES256'],
        },
      ),
    name: 'Error',
    message: '"alg" parameter "ES256" requires curve "prime256v1".',
    reason: 'unsupported_algorithm',
  },
  {
    label: 'an unsigned alg none token',
    error: () => jsonwebtokenErrorOf(`${encodeSegment({ alg: 'none' })}.${encodeSegment(CLAIMS)}.`),
    name: 'JsonWebTokenError',
    message: 'jwt signature is required',
    reason: 'bad_signature',
  },
  {
    label: 'a failed check we do not name (subject)',
    error: () =>
      jsonwebtokenErrorOf(rs256(CLAIMS), rsa.publicKey, { ...VERIFY_OPTIONS, subject: 'other' }),
    name: 'JsonWebTokenError',
    message: 'jwt subject invalid. expected: other',
    reason: 'invalid_token',
  },
  {
    label: 'an empty token',
    error: () => jsonwebtokenErrorOf(''),
    name: 'JsonWebTokenError',
    message: 'jwt must be provided',
    reason: 'invalid_token',
  },
];

describe('toBearerTokenException', () => {
  describe('classifies the errors jsonwebtoken really throws', () => {
    it.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
      const error = c.error();
      expect(error.name).toBe(c.name);
      expect(error.message).toBe(c.message);

      const exception = toBearerTokenException(error);

      expect(exception).toBeInstanceOf(BearerTokenException);
      expect(exception.reason).toBe(c.reason);
      expect(exception.cause).toBe(error);
      expect(JSON.stringify(exception.getResponse())).not.toContain(error.message);
    });
  });

  it('returns a BearerTokenException unchanged', () => {
    const original = new BearerTokenException('unknown_kid');
    expect(toBearerTokenException(original)).toBe(original);
  });

  it('matches on name, not instanceof (a plain object from another realm)', () => {
    expect(
      toBearerTokenException({ name: 'TokenExpiredError', message: 'jwt expired' }).reason,
    ).toBe('expired');
    expect(
      toBearerTokenException({ name: 'NotBeforeError', message: 'jwt not active' }).reason,
    ).toBe('not_yet_valid');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'jwt expired'],
    ["passport-jwt's missing token error", new Error('No auth token')],
    ['a TypeError', new TypeError('invalid signature')],
    ['a JsonWebTokenError without message', { name: 'JsonWebTokenError' }],
  ])('classifies %s as invalid_token', (_label, error) => {
    expect(toBearerTokenException(error).reason).toBe('invalid_token');
  });
});
