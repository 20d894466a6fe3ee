import request from 'supertest';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { HTTP_ADAPTERS } from '../../src/http-adapter';
import { startTestAuthorizationServer, TEST_CLIENTS } from '../support/authorization-server';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  type TestApp,
} from '../support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA, partnerB } = TEST_CLIENTS;
const LIMIT = 3;

let issuer: DevIssuer | undefined;

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
});

afterAll(async () => {
  await issuer?.stop();
});

describe.each(HTTP_ADAPTERS)('failed authentications per client IP over %s', (adapter) => {
  let api: TestApp | undefined;
  let url: string;
  /** Used once before the flood: this instance knows it as valid. */
  let usedToken: string;
  /** Never presented before the flood. */
  let freshToken: string;

  beforeAll(async () => {
    if (!issuer) throw new Error('the authorization server is not running');
    api = await startTestApp(appConfigFor(issuer), adapter, {
      quota: { partnerRateLimit: 0, authFailureLimit: LIMIT },
    });
    url = api.url;
    usedToken = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
    freshToken = await issuer.getToken(partnerB.clientId, partnerB.clientSecret, ['list:users']);
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
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers['ratelimit-policy']).toBe(`"auth-failures";q=${LIMIT};w=60`);
    expect(response.headers['ratelimit']).toBe(`"auth-failures";r=0;t=${retryAfter}`);
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
