import request from 'supertest';
import { HTTP_ADAPTERS } from '../../src/http-adapter';
import type { PartnerSeed } from '../../src/partners/partner.interface';
import { TEST_CLIENTS } from '../support/authorization-server';
import { expectRateLimited, usePartnerSuite } from '../support/partner-suite';
import {
  appConfigFor,
  closeAll,
  startTestApp,
  TEST_PARTNERS,
  type TestApp,
} from '../support/test-app';

const { readOnly } = TEST_CLIENTS;
const LIMIT = 3;
/** read-only carries its own limit in the registry, lower than the default. */
const OWN_LIMIT = 1;
const PARTNERS = TEST_PARTNERS.map((partner): PartnerSeed =>
  partner.clientId === readOnly.clientId ? { ...partner, rateLimitPerMinute: OWN_LIMIT } : partner,
);

const { issuer, tokens } = usePartnerSuite(['partnerA', 'partnerB', 'readOnly']);

/** The app with the quota settings given, closed after the enclosing describe. */
function useQuotaApp(
  adapter: (typeof HTTP_ADAPTERS)[number],
  partnerRateLimit: number,
): { url(): string } {
  let api: TestApp | undefined;
  beforeAll(async () => {
    api = await startTestApp(appConfigFor(issuer(), { partners: PARTNERS }), adapter, {
      quota: { partnerRateLimit, authFailureLimit: 0 },
    });
  });
  afterAll(async () => {
    await closeAll(api);
  });
  return {
    url: () => {
      if (!api) throw new Error('the app is not running');
      return api.url;
    },
  };
}

describe.each(HTTP_ADAPTERS)('per-partner quotas over %s', (adapter) => {
  const api = useQuotaApp(adapter, LIMIT);
  const listUsers = (token: string) =>
    request(api.url()).get('/users').set('Authorization', `Bearer ${token}`);

  it('serves a partner up to its quota, announcing the policy and what remains', async () => {
    for (let used = 1; used <= LIMIT; used += 1) {
      const response = await listUsers(tokens.partnerA);
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe(`"partner";q=${LIMIT};w=60`);
      expect(response.headers['ratelimit']).toMatch(
        new RegExp(`^"partner";r=${LIMIT - used};t=([1-9]|[1-5][0-9]|60)$`),
      );
    }
  });

  it('answers 429 over the quota with Retry-After and RateLimit r=0', async () => {
    const response = await listUsers(tokens.partnerA);
    expectRateLimited(response, 'partner', LIMIT);
    expect(response.body).toEqual({
      statusCode: 429,
      message: 'Too Many Requests: the partner request quota is used up',
    });
  });

  it('counts per partner, not per IP: another partner on the same address is served', async () => {
    const response = await listUsers(tokens.partnerB);
    expect(response.status).toBe(200);
    expect(response.headers['ratelimit']).toMatch(new RegExp(`^"partner";r=${LIMIT - 1};`));
  });

  it('authenticates before it counts: a bad token of the exhausted partner still gets 401', async () => {
    const response = await listUsers(`${tokens.partnerA}x`);
    expect(response.status).toBe(401);
    expect(response.headers['ratelimit']).toBeUndefined();
  });

  it('applies the partner’s own rateLimitPerMinute from the registry', async () => {
    expect((await listUsers(tokens.readOnly)).headers['ratelimit-policy']).toBe(
      `"partner";q=${OWN_LIMIT};w=60`,
    );
    expect((await listUsers(tokens.readOnly)).status).toBe(429);
  });

  it('never limits /health nor /health/ready, even for an exhausted partner', async () => {
    for (let attempt = 0; attempt < LIMIT * 3; attempt += 1) {
      const live = await request(api.url())
        .get('/health')
        .set('Authorization', `Bearer ${tokens.partnerA}`);
      expect(live.status).toBe(200);
      expect(live.headers['ratelimit']).toBeUndefined();
      const ready = await request(api.url()).get('/health/ready');
      expect(ready.status).toBe(200);
    }
  });
});

describe('PARTNER_RATE_LIMIT=0 (and AUTH_FAILURE_LIMIT=0)', () => {
  const api = useQuotaApp('express', 0);
  const listUsers = (token: string) =>
    request(api.url()).get('/users').set('Authorization', `Bearer ${token}`);

  it('leaves a partner without a limit of its own unlimited, without RateLimit fields', async () => {
    for (let attempt = 0; attempt < OWN_LIMIT + 3; attempt += 1) {
      const response = await listUsers(tokens.partnerA);
      expect(response.status).toBe(200);
      expect(response.headers['ratelimit-policy']).toBeUndefined();
    }
  });

  it('still applies a partner’s own rateLimitPerMinute', async () => {
    const first = await listUsers(tokens.readOnly);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe(`"partner";q=${OWN_LIMIT};w=60`);
    expectRateLimited(await listUsers(tokens.readOnly), 'partner', OWN_LIMIT);
  });
});
