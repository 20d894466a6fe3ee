import request from 'supertest';
import { asPartner, createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { closedPortUrl, dxConfig, startDxApp, type DxApp } from './support/dx-app';

const POLL_INTERVAL_MS = 100;
const POLL_TIMEOUT_MS = 5_000;

interface Readiness {
  status: number;
  body: { status: string; info?: object; error?: object; details: Record<string, unknown> };
}

async function readiness(api: DxApp): Promise<Readiness> {
  const response = await request(api.url).get('/health/ready');
  return { status: response.status, body: response.body };
}

/** Polls /health/ready until `done` holds, for at most 5 s. */
async function readinessWhen(api: DxApp, done: (ready: Readiness) => boolean): Promise<Readiness> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    const ready = await readiness(api);
    if (done(ready) || Date.now() > deadline) return ready;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

describe('readiness (/health/ready) with OAuthJwtHealthIndicator', () => {
  let issuer: TestIssuer;
  const apps: DxApp[] = [];

  beforeEach(async () => {
    issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
  });

  afterEach(async () => {
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await issuer.close();
  });

  async function start(...args: Parameters<typeof dxConfig>): Promise<DxApp> {
    const api = await startDxApp(dxConfig(...args), { docs: false });
    apps.push(api);
    return api;
  }

  it('is up with fresh keys after a request, and /health stays a plain liveness check', async () => {
    const api = await start(issuer);
    await asPartner(request.agent(api.url), issuer, 'partner-a', ['list:users'])
      .get('/users')
      .expect(200);
    const ready = await readiness(api);
    const keys = { status: 'up', keySet: 'fresh', stale: false, keyCount: 1 };
    expect(ready).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { 'oauth-jwt': { ...keys, ageMs: expect.any(Number) } },
        error: {},
        details: { 'oauth-jwt': { ...keys, ageMs: expect.any(Number) } },
      },
    });
    await request(api.url).get('/health').expect(200, { status: 'ok' });
  });

  it('fetches the keys itself when none were fetched yet (an idle instance becomes ready)', async () => {
    const api = await start(issuer);
    expect(issuer.jwksRequestCount).toBe(0);
    const ready = await readiness(api);
    expect(ready.status).toBe(200);
    expect(ready.body.details['oauth-jwt']).toMatchObject({ keySet: 'fresh', keyCount: 1 });
    expect(issuer.jwksRequestCount).toBe(1);
  });

  it('is down (503 from terminus) when the JWKS endpoint cannot be reached', async () => {
    const api = await start(issuer, { jwksUri: `${await closedPortUrl()}/jwks.json` });
    const down = {
      status: 'down',
      keySet: 'unavailable',
      stale: false,
      keyCount: 0,
      ageMs: null,
      lastFailure: 'network',
    };
    expect(await readiness(api)).toEqual({
      status: 503,
      body: {
        status: 'error',
        info: {},
        error: { 'oauth-jwt': down },
        details: { 'oauth-jwt': down },
      },
    });
  });

  it('stays up but flags stale keys when the JWKS endpoint goes away after a good fetch', async () => {
    const api = await start(issuer, {
      oauth: { keySet: { cacheMaxAgeSeconds: 1, cooldownSeconds: 0 } },
    });
    const partner = () => asPartner(request.agent(api.url), issuer, 'partner-a', ['list:users']);
    await partner().get('/users').expect(200);
    await issuer.close();

    const stale = await readinessWhen(
      api,
      (ready) => (ready.body.details['oauth-jwt'] as { stale?: boolean }).stale === true,
    );
    expect(stale.status).toBe(200);
    expect(stale.body.details['oauth-jwt']).toEqual({
      status: 'up',
      keySet: 'stale',
      stale: true,
      keyCount: 1,
      ageMs: expect.any(Number),
    });
    expect((stale.body.details['oauth-jwt'] as { ageMs: number }).ageMs).toBeGreaterThan(1000);

    // A new token (not in the verified-token cache) is verified with the stale keys, and its
    // request starts the background refresh, which fails: the failure shows.
    await partner().get('/users').expect(200);
    const failed = await readinessWhen(
      api,
      (ready) =>
        (ready.body.details['oauth-jwt'] as { lastFailure?: string }).lastFailure !== undefined,
    );
    expect(failed).toMatchObject({
      status: 200,
      body: {
        status: 'ok',
        details: { 'oauth-jwt': { status: 'up', keySet: 'stale', lastFailure: 'network' } },
      },
    });
  });
});
