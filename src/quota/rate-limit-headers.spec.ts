import { rateLimitField, rateLimitPolicyField } from './rate-limit-headers';

describe('RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11)', () => {
  it('writes a quota policy item: name, q and w', () => {
    expect(rateLimitPolicyField('partner', 100, 60)).toBe('"partner";q=100;w=60');
  });

  it('writes a service limit item: name, r and t', () => {
    expect(rateLimitField('partner', 42, 17)).toBe('"partner";r=42;t=17');
  });

  it('keeps every number a non-negative integer, and a window of at least one second', () => {
    expect(rateLimitField('partner', -3, 0.2)).toBe('"partner";r=0;t=1');
    expect(rateLimitPolicyField('partner', Number.NaN, 0)).toBe('"partner";q=0;w=1');
  });
});
