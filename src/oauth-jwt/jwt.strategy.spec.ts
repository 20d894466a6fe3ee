import { createPublicKey } from 'node:crypto';
import passport from 'passport';
import { KeySet } from './key-set/key-set';
import { JwtStrategy } from './jwt.strategy';
import { resolveOAuthJwtOptions } from './resolve-options';
import { toBearerTokenException } from './errors/to-bearer-token-exception';
import {
  base64url,
  createTestIssuer,
  decodeJws,
  encodeSegment,
  flipMiddleOfSignature,
  segmentsOf,
  signJws,
  type JsonObject,
  type TestIssuer,
} from './testing';
import { PUBLIC_KEY_ENCODINGS, publicKeyAs } from './testing/internal/public-key-encodings';
import { rsaKeyPair } from './testing/internal/test-keys';

const OPTIONS = resolveOAuthJwtOptions({
  issuer: 'https://issuer.test/',
  audience: 'https://api.test',
  jwksUri: 'https://issuer.test/jwks',
});

/**
 * JwtStrategy from a second copy of this library, as when an app and one of its dependencies
 * install it twice: fresh module state, but the app's one `passport` (a peer dependency).
 */
function jwtStrategyOfSecondCopy(): typeof JwtStrategy {
  let copy: typeof JwtStrategy | undefined;
  jest.isolateModules(() => {
    jest.doMock('passport', () => passport);
    copy = jest.requireActual<typeof import('./jwt.strategy')>('./jwt.strategy').JwtStrategy;
  });
  jest.dontMock('passport');
  if (copy === undefined || copy === JwtStrategy) throw new Error('expected a second copy');
  return copy;
}

/** Every strategy this file built: each must stay registered under its own name. */
const built: JwtStrategy[] = [];

function build(Strategy: typeof JwtStrategy = JwtStrategy): JwtStrategy {
  const strategy = new Strategy(OPTIONS, new KeySet(OPTIONS));
  built.push(strategy);
  return strategy;
}

/** passport's own lookup in its global registry (an untyped internal of passport). */
function registered(name: string): unknown {
  return (passport as unknown as { _strategy(name: string): unknown })._strategy(name);
}

function expectAllRegistered(): void {
  expect(new Set(built.map((strategy) => strategy.strategyName)).size).toBe(built.length);
  for (const strategy of built) {
    expect(registered(strategy.strategyName)).toBe(strategy);
  }
}

/** The reason the guard maps the strategy's refusal of `token` to. */
async function refusalReasonOf(strategy: JwtStrategy, token: string): Promise<string> {
  const error: unknown = await strategy.verify(token).then(
    () => {
      throw new Error('expected a refusal, but the token was verified');
    },
    (rejection: unknown) => rejection,
  );
  return toBearerTokenException(error).reason;
}

describe('JwtStrategy', () => {
  it('registers each instance in passport under a name of its own', () => {
    build();
    build();
    expectAllRegistered();
  });

  it('keeps names unique when a second copy of the library is loaded in the same process', () => {
    const SecondCopy = jwtStrategyOfSecondCopy();
    for (let i = 0; i < 3; i += 1) {
      build(JwtStrategy);
      expect(build(SecondCopy).strategyName).toMatch(/^oauth-jwt#\d+$/);
    }
    expectAllRegistered();
  });
});

describe('JwtStrategy.verify (the hand-off from JwtAuthGuard)', () => {
  let issuer: TestIssuer;
  let strategy: JwtStrategy;
  let keySet: KeySet;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const options = resolveOAuthJwtOptions(issuer.moduleOptions());
    keySet = new KeySet(options);
    strategy = new JwtStrategy(options, keySet);
  });

  afterAll(() => issuer.close());

  it('answers the principal and the key that verified it, from the token alone', async () => {
    const { principal, signingKey } = await strategy.verify(
      issuer.token({ sub: 'partner-a', scopes: ['list:users'] }),
    );
    expect(principal).toMatchObject({ subject: 'partner-a', scopes: ['list:users'] });
    expect(keySet.has(signingKey)).toBe(true);
  });

  it("rejects with jsonwebtoken's error for a bad signature (the guard maps it)", async () => {
    await expect(strategy.verify(issuer.hostile.badSignature())).rejects.toMatchObject({
      name: 'JsonWebTokenError',
      message: 'invalid signature',
    });
  });

  describe('refuses a token whose signature no longer vouches for it (RFC 7515 §5.2) with bad_signature', () => {
    /** The three segments of a fresh partner-a token with the list:users scope. */
    const parts = (): [string, string, string] =>
      segmentsOf(issuer.token({ sub: 'partner-a', scopes: ['list:users'] }));
    const payloadOf = (claims: JsonObject): string =>
      segmentsOf(issuer.token({ sub: 'partner-a', claims }))[1];

    it.each<[string, () => string]>([
      [
        'a truncated signature (first half kept)',
        () => {
          const [h0, p0, s0] = parts();
          return `${h0}.${p0}.${s0.slice(0, Math.floor(s0.length / 2))}`;
        },
      ],
      ['one character changed in its middle', () => flipMiddleOfSignature(parts().join('.'))],
      [
        'an escalated payload (scope delete:users) under the original signature',
        () => {
          const [h0, , s0] = parts();
          return `${h0}.${payloadOf({ scope: 'list:users delete:users' })}.${s0}`;
        },
      ],
      [
        'another subject under the signature',
        () => {
          const [h0, , s0] = parts();
          return `${h0}.${segmentsOf(issuer.token({ sub: 'partner-b' }))[1]}.${s0}`;
        },
      ],
      [
        'a header edited after signing (kid removed)',
        () => {
          const [, p0, s0] = parts();
          return `${encodeSegment({ alg: 'RS256', typ: 'at+jwt' })}.${p0}.${s0}`;
        },
      ],
      [
        'a signature spliced from another valid token',
        () => {
          const [h0, p0] = parts();
          return `${h0}.${p0}.${segmentsOf(issuer.token({ sub: 'partner-b' }))[2]}`;
        },
      ],
      [
        'an all-zero 256-byte signature',
        () => {
          const [h0, p0] = parts();
          return `${h0}.${p0}.${base64url(Buffer.alloc(256))}`;
        },
      ],
      [
        'the signature with a leading zero byte (257 bytes)',
        () => {
          const [h0, p0, s0] = parts();
          const longer = Buffer.concat([Buffer.from([0]), Buffer.from(s0, 'base64url')]);
          return `${h0}.${p0}.${base64url(longer)}`;
        },
      ],
      [
        'a one-byte signature',
        () => {
          const [h0, p0] = parts();
          return `${h0}.${p0}.AA`;
        },
      ],
    ])('%s', async (_label, token) => {
      await expect(refusalReasonOf(strategy, token())).resolves.toBe('bad_signature');
    });

    it("the same claims signed by another RSA key under the issuer's kid", async () => {
      const [h0, p0] = parts();
      const forged = signJws(
        Buffer.from(h0, 'base64url').toString(),
        Buffer.from(p0, 'base64url').toString(),
        { alg: 'RS256', key: rsaKeyPair('jwt-strategy-spec-attacker').privateKey },
      );
      await expect(refusalReasonOf(strategy, forged)).resolves.toBe('bad_signature');
    });
  });

  describe('refuses HMAC signed with its own public key as the secret (RS/HS confusion, CVE-2015-9235, CVE-2022-23541, fast-jwt CVE-2023-48223) with unsupported_algorithm', () => {
    const rows = (['HS256', 'HS384', 'HS512'] as const).flatMap((alg) =>
      PUBLIC_KEY_ENCODINGS.map((encoding) => [alg, encoding] as const),
    );

    it.each(rows)('%s keyed with %s', async (alg, encoding) => {
      const [jwk] = issuer.jwks().keys;
      const publicKey = createPublicKey({ key: { ...jwk }, format: 'jwk' });
      const { header, payload } = decodeJws(issuer.token());
      const token = signJws({ ...header, alg }, payload, {
        alg,
        secret: publicKeyAs({ publicKey }, encoding),
      });
      await expect(refusalReasonOf(strategy, token)).resolves.toBe('unsupported_algorithm');
    });

    it('HS256 with an empty or a dictionary secret', async () => {
      for (const secret of ['', 'secret']) {
        const header = { alg: 'HS256', typ: 'at+jwt', kid: issuer.keyId };
        const token = signJws(header, {}, { alg: 'HS256', secret });
        await expect(refusalReasonOf(strategy, token)).resolves.toBe('unsupported_algorithm');
      }
    });
  });

  it('rejects with our BearerTokenException from the header checks and the key set', async () => {
    await expect(strategy.verify(issuer.hostile.unknownKid())).rejects.toMatchObject({
      reason: 'unknown_kid',
    });
    await expect(strategy.verify(issuer.hostile.algNone())).rejects.toMatchObject({
      reason: 'malformed_token',
    });
  });

  it('keeps concurrent verifications apart (each call has its own input)', async () => {
    const subjects = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.all(
      subjects.map((sub) => strategy.verify(issuer.token({ sub }))),
    );
    expect(results.map(({ principal }) => principal.subject)).toEqual(subjects);
  });
});

/**
 * What the claims of a validly signed token make of it, through both checkers the strategy runs
 * (jsonwebtoken's options: exp, nbf, iss, aud, clock tolerance; buildPrincipal: exp, sub, iat),
 * read as the guard maps it. Each row differs from a valid token in the one claim under test.
 */
describe('JwtStrategy.verify: the claims of a validly signed token', () => {
  const ISSUER = 'https://issuer.test/tenant';
  const AUDIENCE = 'https://api.test';
  let issuer: TestIssuer;
  let strategy: JwtStrategy;

  beforeAll(async () => {
    issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE });
    const options = resolveOAuthJwtOptions(issuer.moduleOptions());
    strategy = new JwtStrategy(options, new KeySet(options));
  });

  afterAll(() => issuer.close());

  const now = (): number => Math.floor(Date.now() / 1000);

  const reasonOf = (token: string): Promise<string> => refusalReasonOf(strategy, token);

  /** A token signed by the issuer whose payload is this raw JSON text. */
  const withRawPayload = (json: string): string =>
    issuer.sign({ alg: 'RS256', typ: 'at+jwt', kid: issuer.keyId }, json);

  it.each<[string, (now: number) => JsonObject, string]>([
    ['exp missing', () => ({ exp: undefined }), 'bad_claim'],
    ['exp a string', () => ({ exp: 'tomorrow' }), 'bad_claim'],
    ['exp a numeric string', () => ({ exp: '9999999999' }), 'bad_claim'],
    ['exp null', () => ({ exp: null }), 'bad_claim'],
    ['exp an empty array', () => ({ exp: [] }), 'bad_claim'],
    ['exp an array holding a future time', (t) => ({ exp: [t + 300] }), 'bad_claim'],
    ['exp an object', (t) => ({ exp: { value: t + 300 } }), 'bad_claim'],
    ['exp a boolean', () => ({ exp: true }), 'bad_claim'],
    ['exp an hour in the past', (t) => ({ exp: t - 3600 }), 'expired'],
    ['exp 0', () => ({ exp: 0 }), 'expired'],
    ['exp negative', () => ({ exp: -1 }), 'expired'],
    ['exp 10 s in the past (beyond the 5 s tolerance)', (t) => ({ exp: t - 10 }), 'expired'],
    ['nbf an hour in the future', (t) => ({ nbf: t + 3600 }), 'not_yet_valid'],
    ['nbf a string', () => ({ nbf: '0' }), 'bad_claim'],
    ['nbf null', () => ({ nbf: null }), 'bad_claim'],
    ['nbf an array', (t) => ({ nbf: [t - 10] }), 'bad_claim'],
    ['nbf a boolean', () => ({ nbf: false }), 'bad_claim'],
    ['iat an hour in the future', (t) => ({ iat: t + 3600 }), 'not_yet_valid'],
    ['iat a string', (t) => ({ iat: String(t) }), 'bad_claim'],
    ['iat null', () => ({ iat: null }), 'bad_claim'],
    ['iat an object', () => ({ iat: {} }), 'bad_claim'],
    ['sub an object', () => ({ sub: { id: 'partner-a' } }), 'bad_claim'],
    ['sub a boolean', () => ({ sub: true }), 'bad_claim'],
    ['sub a tab', () => ({ sub: '\t' }), 'bad_claim'],
  ])('refuses %s', async (_label, claims, reason) => {
    await expect(reasonOf(issuer.token({ claims: claims(now()) }))).resolves.toBe(reason);
  });

  it.each(['exp', 'iat'])(
    'refuses %s 1e400 (JSON.parse makes it Infinity) with bad_claim',
    async (claim) => {
      const rest = { ...decodeJws(issuer.token()).payload };
      Reflect.deleteProperty(rest, claim);
      const json = `${JSON.stringify(rest).slice(0, -1)},"${claim}":1e400}`;
      await expect(reasonOf(withRawPayload(json))).resolves.toBe('bad_claim');
    },
  );

  const ISS_NEAR_MISSES: [string, unknown][] = [
    ['a trailing slash', `${ISSUER}/`],
    ['upper case', ISSUER.toUpperCase()],
    ['an upper-case scheme only', ISSUER.replace('https', 'HTTPS')],
    ['a leading space', ` ${ISSUER}`],
    ['a trailing space', `${ISSUER} `],
    ['a trailing newline', `${ISSUER}\n`],
    ['http instead of https', ISSUER.replace('https', 'http')],
    ['an explicit :443', ISSUER.replace('.test', '.test:443')],
    ['an extra path', `${ISSUER}/more`],
    ['a longer host', ISSUER.replace('.test', '.test.attacker.example')],
    ['user-info before the host', 'https://issuer.test@attacker.example/tenant'],
    ['a Cyrillic homoglyph', ISSUER.replace('i', '\u0456')],
    ['percent-encoding', ISSUER.replace('.', '%2E')],
    ['an array holding it (fast-jwt GHSA-gm45-q3v2-6cf8)', [ISSUER]],
    ['an array holding it and another', [ISSUER, 'https://other.test']],
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['a number', 1],
  ];
  const AUD_NEAR_MISSES: [string, unknown][] = [
    ['a prefix of ours', 'https://api.tes'],
    ['ours as a prefix (suffix appended)', `${AUDIENCE}.attacker.example`],
    ['upper case', AUDIENCE.toUpperCase()],
    ['a trailing slash', `${AUDIENCE}/`],
    ['a trailing space', `${AUDIENCE} `],
    ['an array holding none of ours', ['https://other.test', 'https://api.other.test']],
    ['an empty array', []],
    ['a nested array holding ours', [[AUDIENCE]]],
    ['an object holding ours', { 0: AUDIENCE }],
    ['null', null],
    ['missing', undefined],
    ['empty', ''],
    ['a number', 1],
  ];

  it.each([
    ...ISS_NEAR_MISSES.map(([label, value]) => ['iss', label, value, 'bad_issuer'] as const),
    ...AUD_NEAR_MISSES.map(([label, value]) => ['aud', label, value, 'bad_audience'] as const),
  ])('refuses an %s with %s with %s', async (claim, _label, value, reason) => {
    await expect(reasonOf(issuer.token({ claims: { [claim]: value } }))).resolves.toBe(reason);
  });

  it.each<[string, (now: number) => JsonObject]>([
    ['exp 2 s in the past (within the 5 s clock tolerance)', (t) => ({ exp: t - 2 })],
    ['nbf 2 s in the future (within tolerance)', (t) => ({ nbf: t + 2 })],
    ['iat 2 s in the future (within tolerance)', (t) => ({ iat: t + 2 })],
    ['iat absent (checked only when present)', () => ({ iat: undefined })],
    ['a fractional exp', (t) => ({ exp: t + 300.5 })],
    [
      'an aud array that holds ours among others',
      () => ({ aud: ['https://other.test', AUDIENCE] }),
    ],
  ])('accepts %s', async (_label, claims) => {
    const { principal } = await strategy.verify(issuer.token({ claims: claims(now()) }));
    expect(principal.subject).toBe('test-client');
  });
});
