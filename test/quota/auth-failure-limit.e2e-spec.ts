import request from 'supertest';
import { HTTP_ADAPTERS } from '../../src/http-adapter';
import { expectRateLimited, usePartnerSuite } from '../support/partner-suite';
import { appConfigFor, closeAll, startTestApp, type TestApp } from '../support/test-app';

const LIMIT = 3;
const { issuer, tokens } = usePartnerSuite(['partnerA', 'partnerB']);

describe.each(HTTP_ADAPTERS)('failed authentications per client IP over %s', (adapter) => {
  let api: TestApp | undefined;
  let url: string;
  /** Used once before the flood: this instance knows it as valid. */
  let usedToken: string;
  /** Never presented before the flood. */
  let freshToken: string;

  beforeAll(async () => {
    api = await startTestApp(appConfigFor(issuer()), adapter, {
      quota: { partnerRateLimit: 0, authFailureLimit: LIMIT },
    });
    url = api.url;
    usedToken = tokens.partnerA;
    freshToken = tokens.partnerB;
  });

  afterAll(async () => {
    await closeAll(api);
  });

  const listUsers = (authorization?: string) => {
    const call = request(url).get('/users');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  it('answers each failed attempt 401 up to the limit', async () => {
    expect((await listUsers(`Bearer ${usedToken}`)).status).toBe(200);
    for (let attempt = 0; attempt < LIMIT; attempt += 1) {
      expect((await listUsers(`Bearer ${usedToken}tampered`)).status).toBe(401);
    }
  });

  it('then refuses further attempts from that address with 429 before any token check', async () => {
    const response = await listUsers(`Bearer ${usedToken}tampered`);
    expectRateLimited(response, 'auth-failures', LIMIT);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.body).toEqual({
      statusCode: 429,
      message: 'Too Many Requests: too many failed authentications from this address',
    });
  });

  it('still serves a valid token that authenticated on this instance before', async () => {
    expect((await listUsers(`Bearer ${usedToken}`)).status).toBe(200);
  });

  it('makes a valid token never seen here wait like any other unverified credential', async () => {
    // Telling it from a forgery would take the signature check the limit exists to avoid.
    expect((await listUsers(`Bearer ${freshToken}`)).status).toBe(429);
  });

  it('still answers a request without any credential 401 (a cheap refusal)', async () => {
    expect((await listUsers()).status).toBe(401);
  });

  it('never limits /health nor /health/ready from that address', async () => {
    const live = await request(url).get('/health').set('Authorization', 'Bearer junk');
    expect(live.status).toBe(200);
    const ready = await request(url).get('/health/ready').set('Authorization', 'Bearer junk');
    expect(ready.status).toBe(200);
  });
});
