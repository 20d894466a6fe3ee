import passport from 'passport';
import { KeySet } from './key-set/key-set';
import { JwtStrategy } from './jwt.strategy';
import { resolveOAuthJwtOptions } from './resolve-options';
import { createTestIssuer, type TestIssuer } from './testing';

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
