import { nestPathKey, openApiPathKey, scopeAlternatives } from './openapi-document';

describe('scopeAlternatives', () => {
  it('is the required scopes alone without any-of groups', () => {
    expect(scopeAlternatives(['b', 'a', 'b'], [])).toEqual([['a', 'b']]);
  });

  it('adds one scope of each any-of group, sorted and without duplicates', () => {
    expect(scopeAlternatives(['a'], [['x', 'a'], ['y']])).toEqual([
      ['a', 'x', 'y'],
      ['a', 'y'],
    ]);
  });

  it('is one empty alternative for a route that only needs a valid token', () => {
    expect(scopeAlternatives([], [])).toEqual([[]]);
  });
});

describe('route path keys', () => {
  it.each([
    ['/users/:id', '/users/{}'],
    ['/files/*path', '/files/{}'],
    ['/a{/:b}', '/a/{}'],
    ['/x/:"quoted name"', '/x/{}'],
    ['/legacy/(.*)', '/legacy/{}'],
    ['/', '/'],
    ['users/', '/users'],
  ])('Nest path %s is keyed %s', (path, key) => {
    expect(nestPathKey(path)).toBe(key);
  });

  it.each([
    ['/users/{id}', '/users/{}'],
    ['/', '/'],
    ['', '/'],
  ])('OpenAPI path %s is keyed %s', (path, key) => {
    expect(openApiPathKey(path)).toBe(key);
  });
});
