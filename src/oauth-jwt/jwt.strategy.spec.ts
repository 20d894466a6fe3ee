import passport from 'passport';
import { KeySet } from './key-set/key-set';
import { JwtStrategy } from './jwt.strategy';
import { resolveOAuthJwtOptions } from './resolve-options';

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
