import request from 'supertest';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { HTTP_ADAPTERS } from '../../src/http-adapter';
import type { PartnerSeed } from '../../src/partners/partner.interface';
import { startTestAuthorizationServer, TEST_CLIENTS } from '../support/authorization-server';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  TEST_PARTNERS,
  type TestApp,
} from '../support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA, partnerB, readOnly } = TEST_CLIENTS;
const LIMIT = 3;
/** read-only carries its own limit in the registry, lower than the default. */
const OWN_LIMIT = 1;
const PARTNERS = TEST_PARTNERS.map((partner): PartnerSeed =>
  partner.clientId === readOnly.clientId ? { ...partner, rateLimitPerMinute: OWN_LIMIT } : partner,
);

let issuer: DevIssuer | undefined;
const tokens = {} as { partnerA: string; partnerB: string; readOnly: string };

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  tokens.partnerA = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
  tokens.partnerB = await issuer.getToken(partnerB.clientId, partnerB.clientSecret, ['list:users']);
  tokens.readOnly = await issuer.getToken(readOnly.clientId, readOnly.clientSecret, ['list:users']);
});

afterAll(async () => {
  await issuer?.stop();
});

describe.each(HTTP_ADAPTERS)('per-partner quotas over %s', (adapter) => {
  let api: TestApp | undefined;
  let url: string;

  beforeAll(async () => {
    if (!issuer) throw new Error('the authorization server is not running');
    api = await startTestApp(appConfigFor(issuer, { partners: PARTNERS }), adapter, {
      quota: { partnerRateLimit: LIMIT, authFailureLimit: 0 },
    });
    url = api.url;
  });

  afterAll(async () => {
    await closeAll(api);
  });

  const listUsers = (token: string) =>
    request(url).get('/users').set('Authorization', `Bearer ${token}`);

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
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers['ratelimit-policy']).toBe(`"partner";q=${LIMIT};w=60`);
    expect(response.headers['ratelimit']).toBe(`"partner";r=0;t=${retryAfter}`);
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
      const live = await request(url)
        .get('/health')
        .set('Authorization', `Bearer ${tokens.partnerA}`);
      expect(live.status).toBe(200);
      expect(live.headers['ratelimit']).toBeUndefined();
      const ready = await request(url).get('/health/ready');
      expect(ready.status).toBe(200);
    }
  });
});
