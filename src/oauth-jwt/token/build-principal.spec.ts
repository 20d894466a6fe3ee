import { refusalOf } from '../errors/bearer-refusal.spec-helper';
import { buildPrincipal, clientIdOf, GENERIC_RULES } from './build-principal';
import { PROFILE_RULES } from './provider-profiles';

const NOW = 1_700_000_000;
const TOLERANCE = 5;
const SCOPE_CLAIMS = ['scope', 'scp', 'permissions'];

function build(payload: unknown) {
  return buildPrincipal(payload, SCOPE_CLAIMS, TOLERANCE, NOW);
}

const reasonOf = (payload: unknown): string => refusalOf(() => build(payload)).reason;

const VALID = { sub: 'partner-a', exp: NOW + 300, iat: NOW - 10, scope: 'read:users list:users' };

describe('buildPrincipal', () => {
  it('builds the principal from valid claims', () => {
    const principal = build({ ...VALID });
    expect(principal).toEqual({
      subject: 'partner-a',
      clientId: 'partner-a',
      scopes: ['read:users', 'list:users'],
      claims: VALID,
      expiresAt: NOW + 300,
    });
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it('takes the client id from an Auth0 M2M subject <client_id>@clients under the auth0 profile', () => {
    const principal = buildPrincipal(
      { ...VALID, sub: 'AbC123@clients' },
      SCOPE_CLAIMS,
      TOLERANCE,
      NOW,
      {
        ...GENERIC_RULES,
        rules: PROFILE_RULES.auth0,
      },
    );
    expect(principal.subject).toBe('AbC123@clients');
    expect(principal.clientId).toBe('AbC123');
  });

  it('deep-freezes the claims, nested objects and arrays included', () => {
    const payload = { ...VALID, org: { id: 'o1', tags: ['x'] }, roles: ['admin'] };
    const { claims } = build(payload);
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims['org'])).toBe(true);
    expect(Object.isFrozen((claims['org'] as { tags: string[] }).tags)).toBe(true);
    expect(Object.isFrozen(claims['roles'])).toBe(true);
    expect(() => {
      (claims['roles'] as string[]).push('root');
    }).toThrow(TypeError);
  });

  it('refuses claims nested deeper than 32 levels with malformed_token', () => {
    let deep: Record<string, unknown> = {};
    const payload = { ...VALID, deep };
    for (let depth = 0; depth < 40; depth += 1) {
      const next = {};
      deep['n'] = next;
      deep = next;
    }
    expect(reasonOf(payload)).toBe('malformed_token');
  });

  it('refuses arrays nested deeper than 32 levels with malformed_token', () => {
    const deep = JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`) as unknown;
    expect(reasonOf({ ...VALID, deep })).toBe('malformed_token');
  });

  describe('claims named like prototype keys, as JSON.parse gives them (CWE-1321)', () => {
    const parsed = (json: string): unknown => JSON.parse(json);
    const members = (...without: string[]): string =>
      JSON.stringify(
        Object.fromEntries(Object.entries(VALID).filter(([name]) => !without.includes(name))),
      ).slice(1, -1);

    it.each(['sub', 'exp'])(
      'refuses a %s offered only through "__proto__" with bad_claim',
      (name) => {
        const value = JSON.stringify(VALID[name as keyof typeof VALID]);
        const payload = parsed(`{"__proto__":{"${name}":${value}},${members(name)}}`);
        expect(reasonOf(payload)).toBe('bad_claim');
        expect(({} as Record<string, unknown>)[name]).toBeUndefined();
      },
    );

    it('builds the principal of claims carrying "constructor.prototype", unpolluted', () => {
      const payload = parsed(`{"constructor":{"prototype":{"polluted":"payload"}},${members()}}`);
      expect(build(payload).subject).toBe('partner-a');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  it.each([
    ['null', null],
    ['an array', [VALID]],
    ['a string', 'partner-a'],
    ['a number', 42],
  ])('refuses a payload that is %s with malformed_token', (_label, payload) => {
    expect(reasonOf(payload)).toBe('malformed_token');
  });

  describe('exp (RFC 9068 requires it)', () => {
    it.each([
      ['missing', undefined],
      ['a string', String(NOW + 300)],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['null', null],
    ])('refuses exp %s with bad_claim', (_label, exp) => {
      expect(reasonOf({ ...VALID, exp })).toBe('bad_claim');
    });
  });

  describe('sub (RFC 9068 requires it)', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['whitespace only', ' \t '],
      ['a number', 12345],
      ['null', null],
      ['an array', ['partner-a']],
      ['an object', { id: 'partner-a' }],
      ['a boolean', true],
      ['a tab', '\t'],
    ])('refuses sub %s with bad_claim', (_label, sub) => {
      expect(reasonOf({ ...VALID, sub })).toBe('bad_claim');
    });
  });

  describe('iat', () => {
    it('accepts a token without iat', () => {
      const withoutIat = Object.fromEntries(
        Object.entries(VALID).filter(([name]) => name !== 'iat'),
      );
      expect(build(withoutIat).subject).toBe('partner-a');
      expect(build(withoutIat).claims).not.toHaveProperty('iat');
    });

    it('accepts iat up to the clock tolerance in the future', () => {
      expect(build({ ...VALID, iat: NOW + TOLERANCE }).subject).toBe('partner-a');
    });

    it('refuses iat beyond the clock tolerance in the future with not_yet_valid', () => {
      expect(reasonOf({ ...VALID, iat: NOW + TOLERANCE + 1 })).toBe('not_yet_valid');
    });

    it.each([
      ['a string', String(NOW)],
      ['NaN', Number.NaN],
      ['null', null],
    ])('refuses iat that is %s with bad_claim', (_label, iat) => {
      expect(reasonOf({ ...VALID, iat })).toBe('bad_claim');
    });
  });

  it('refuses a scope claim of the wrong type with bad_claim', () => {
    expect(reasonOf({ ...VALID, scope: 7 })).toBe('bad_claim');
  });
});

describe('clientIdOf', () => {
  it.each([
    ['partner-a', 'partner-a'],
    ['AbC123@clients', 'AbC123'],
    ['@clients', '@clients'],
    ['a@clients@clients', 'a@clients'],
    ['user@example.com', 'user@example.com'],
    ['a@Clients', 'a@Clients'],
  ])('maps sub %s to client id %s', (sub, clientId) => {
    expect(clientIdOf(sub)).toBe(clientId);
  });
});
