import { BearerTokenException } from '../errors/bearer-token.exception';
import type { JwtClaims } from '../principal.interface';
import { collectScopes, missingScopes, SCOPE_TOKEN } from './scopes';

const ALL_CLAIMS = ['scope', 'scp', 'permissions'];

describe('collectScopes', () => {
  it('splits a space-delimited scope string, skipping empty runs of spaces', () => {
    expect(collectScopes({ scope: '  read:users   list:users ' }, ALL_CLAIMS)).toEqual([
      'read:users',
      'list:users',
    ]);
  });

  it('reads scp as an array (Azure AD, Okta)', () => {
    expect(collectScopes({ scp: ['read:users', 'list:users'] }, ALL_CLAIMS)).toEqual([
      'read:users',
      'list:users',
    ]);
  });

  it('reads scp as a space-delimited string', () => {
    expect(collectScopes({ scp: 'read:users list:users' }, ALL_CLAIMS)).toEqual([
      'read:users',
      'list:users',
    ]);
  });

  it('reads permissions as an array (Auth0 RBAC)', () => {
    expect(collectScopes({ permissions: ['delete:users'] }, ALL_CLAIMS)).toEqual(['delete:users']);
  });

  it('merges all configured claims in their order and removes duplicates', () => {
    const claims = {
      permissions: ['delete:users', 'read:users'],
      scp: ['list:users', 'read:users'],
      scope: 'read:users openid',
    };
    expect(collectScopes(claims, ALL_CLAIMS)).toEqual([
      'read:users',
      'openid',
      'list:users',
      'delete:users',
    ]);
  });

  it.each([
    ['a tab', 'list:users\tread:users'],
    ['a comma', 'list:users,read:users'],
  ])('splits on SP only: %s does not separate scopes', (_label, scope) => {
    expect(collectScopes({ scope }, ALL_CLAIMS)).toEqual([scope]);
  });

  it('skips empty strings inside an array', () => {
    expect(collectScopes({ scp: ['', 'a', ''] }, ALL_CLAIMS)).toEqual(['a']);
  });

  it('reads only the configured claims', () => {
    const claims = { scope: 'a', scp: ['b'], permissions: ['c'], roles: ['d'] };
    expect(collectScopes(claims, ['permissions'])).toEqual(['c']);
    expect(collectScopes(claims, ['roles'])).toEqual(['d']);
  });

  it('reads a claim the application configures as a string or an array of strings', () => {
    expect(collectScopes({ roles: ['a', 'b'] }, ['roles'])).toEqual(['a', 'b']);
    expect(collectScopes({ roles: 'a b' }, ['roles'])).toEqual(['a', 'b']);
    expect(() => collectScopes({ roles: [1] }, ['roles'])).toThrow(
      expect.objectContaining({ reason: 'bad_claim' }),
    );
  });

  it('grants nothing when no scope claim is present or the string is empty', () => {
    expect(collectScopes({ sub: 'a' }, ALL_CLAIMS)).toEqual([]);
    expect(collectScopes({ scope: '' }, ALL_CLAIMS)).toEqual([]);
    expect(collectScopes({ scp: [] }, ALL_CLAIMS)).toEqual([]);
  });

  it('ignores a scope claim inherited from a prototype', () => {
    const claims = Object.create({ scope: 'admin' }) as JwtClaims;
    expect(collectScopes(claims, ALL_CLAIMS)).toEqual([]);
  });

  it('returns a frozen list', () => {
    expect(Object.isFrozen(collectScopes({ scope: 'a' }, ALL_CLAIMS))).toBe(true);
  });

  it.each([
    ['scope as a number', { scope: 42 }],
    ['scope as an object', { scope: { read: true } }],
    ['scope as null', { scope: null }],
    ['scope as a boolean', { scope: true }],
    ['scp as an array with a number', { scp: ['read:users', 1] }],
    ['scp as a number', { scp: 42 }],
    ['scope as an array mixing a string and a number', { scope: ['read:users', 1] }],
    ['scp as an array of arrays', { scp: [['read:users']] }],
    ['permissions as an object', { permissions: { 0: 'read:users' } }],
    ['scope as an array of strings (scope is a space-delimited string)', { scope: ['read:users'] }],
    ['scope as an empty array', { scope: [] }],
    ['permissions as a string (permissions is an array)', { permissions: 'read:users' }],
    ['permissions as an empty string', { permissions: '' }],
    ['a bad claim beside a good one', { scope: 'read:users', permissions: 7 }],
  ])('refuses %s with 401 bad_claim', (_label, claims) => {
    expect(() => collectScopes(claims, ALL_CLAIMS)).toThrow(BearerTokenException);
    expect(() => collectScopes(claims, ALL_CLAIMS)).toThrow(
      expect.objectContaining({ reason: 'bad_claim', error: 'invalid_token' }),
    );
  });
});

describe('missingScopes', () => {
  it('returns nothing when every required scope is granted', () => {
    expect(missingScopes(['a', 'b', 'c'], ['c', 'a'])).toEqual([]);
    expect(missingScopes(['a'], [])).toEqual([]);
  });

  it('returns the required scopes that are not granted, in order', () => {
    expect(missingScopes(['b'], ['a', 'b', 'c'])).toEqual(['a', 'c']);
  });

  it.each([
    ['a longer scope', ['read:users:all'], 'read:users'],
    ['a prefix', ['read'], 'read:users'],
    ['a suffix', ['users'], 'read:users'],
    ['a different case', ['READ:USERS'], 'read:users'],
    ['a space-joined pair', ['read:users list:users'], 'read:users'],
    ['a wildcard', ['*'], 'read:users'],
    ['a percent-encoded form', ['read%3Ausers'], 'read:users'],
  ])('compares whole scopes: %s does not satisfy it', (_label, granted, required) => {
    expect(missingScopes(granted, [required])).toEqual([required]);
  });
});

describe('SCOPE_TOKEN', () => {
  it.each(['read:users', 'a', '!#$%&()*+,-./:;<=>?@[]^_`{|}~', 'https://api.test/read'])(
    'accepts the RFC 6749 scope-token %s',
    (scope) => {
      expect(SCOPE_TOKEN.test(scope)).toBe(true);
    },
  );

  it.each(['', 'read users', 'a"b', 'a\\b', 'tab\there', 'é', 'line\n'])('refuses %j', (scope) => {
    expect(SCOPE_TOKEN.test(scope)).toBe(false);
  });
});
