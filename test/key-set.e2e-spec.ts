import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import type { AppConfig } from '../src/config/app-config';
import type { DevIssuer } from '../src/dev-issuer/dev-issuer';
import { createTestIssuer, decodeJws, type TestIssuer } from '../src/oauth-jwt/testing';
import {
  startTestAuthorizationServer,
  TEST_AUDIENCE,
  TEST_CLIENTS,
} from './support/authorization-server';
import { expectRefusal, REFUSALS } from './support/bearer-refusals';
import { closedLoopbackPort, pollUntil } from './support/network';
import { closeAll, E2E_TIMEOUT_MS, startAppFor, type TestApp } from './support/test-app';
import {
  reply,
  TestHttpServer,
  type Responder,
} from '../src/oauth-jwt/testing/internal/test-http-server';

/**
 * Where the verification keys come from and how they change: an unreachable key set (503),
 * discovery through the issuer's metadata, and key rotation at the authorization server.
 * The tests run in order: the rotation tests change the issuer's keys.
 */

const { partnerA } = TEST_CLIENTS;

let issuer: DevIssuer | undefined;
let apps: TestApp[] = [];
/** JWKS endpoints the tests switch between down, a redirect, the issuer's keys and no key. */
const servers: TestHttpServer[] = [];

/** A JWKS endpoint at `/jwks` answering with `responder` until the test switches it. */
async function startJwksEndpoint(responder: Responder): Promise<TestHttpServer> {
  const server = await TestHttpServer.start();
  servers.push(server);
  return server.route('/jwks', responder);
}

function running(): DevIssuer {
  if (!issuer) throw new Error('the authorization server is not running');
  return issuer;
}

/** An app trusting the running authorization server, `overrides` applied; closed after all. */
async function startApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const app = await startAppFor(running(), overrides);
  apps.push(app);
  return app;
}

function newToken(): Promise<string> {
  return running().getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
}

const kidOf = (token: string): unknown => decodeJws(token).header['kid'];

const getMe = (app: TestApp, token?: string): request.Test => {
  const call = request(app.url).get('/partners/me');
  return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
};

const PARTNER_A = { clientId: 'partner-a', name: 'Acme Corp' };

jest.setTimeout(E2E_TIMEOUT_MS);

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
});

afterAll(async () => {
  try {
    await closeAll(...apps);
  } finally {
    apps = [];
    await Promise.all(servers.map((server) => server.close()));
    await issuer?.stop();
  }
});

describe('key set unreachable and no key cached', () => {
  let jwksDown: TestApp;
  let discoveryDown: TestApp;
  let token: string;
  /** A token naming the unreachable issuer (an unknown `iss` is refused before any fetch). */
  let discoveryDownToken: string;
  let kit: TestIssuer | undefined;

  beforeAll(async () => {
    const port = await closedLoopbackPort();
    jwksDown = await startApp({ jwksUri: `http://127.0.0.1:${port}/jwks` });
    discoveryDown = await startApp({ issuer: `http://127.0.0.1:${port}`, jwksUri: undefined });
    token = await newToken();
    kit = await createTestIssuer({ issuer: `http://127.0.0.1:${port}`, audience: TEST_AUDIENCE });
    discoveryDownToken = kit.token({ sub: partnerA.clientId, scopes: ['list:users'] });
  });

  afterAll(async () => {
    await kit?.close();
  });

  it.each([
    ['the JWKS URL refuses connections', () => jwksDown, () => token],
    ['the issuer (discovery) refuses connections', () => discoveryDown, () => discoveryDownToken],
  ])('answers 503 with Retry-After, not 401 or 500, when %s', async (_case, app, tokenOf) => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await getMe(app(), tokenOf());
      expectRefusal(response, REFUSALS.keySetUnavailable);
      const retryAfter = String(response.headers['retry-after']);
      expect(retryAfter).toMatch(/^[1-9][0-9]*$/);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    }
  });

  it('still answers 401 to requests it can refuse without keys', async () => {
    expectRefusal(await getMe(jwksDown), REFUSALS.missingToken);
    expectRefusal(await getMe(jwksDown, 'not-a-jwt'), REFUSALS.malformedToken);
  });

  it('still answers 200 on public routes', async () => {
    const response = await request(jwksDown.url).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

describe('key set failing, then recovering', () => {
  it('answers 503 while the JWKS endpoint fails, then 200 after Retry-After once it recovers, without a restart', async () => {
    const relay = await startJwksEndpoint(reply.text('down', 500));
    // cooldownSeconds also bounds the wait after a failed fetch (at most 5 s): 1 s here.
    const app = await startApp({
      jwksUri: relay.url('/jwks'),
      oauth: { keySet: { cooldownSeconds: 1 } },
    });
    const token = await newToken();

    const down = await getMe(app, token);
    expectRefusal(down, REFUSALS.keySetUnavailable);
    expect(down.headers['retry-after']).toBe('1');

    relay.route('/jwks', reply.proxy(running().jwksUri));
    await delay(1_100);
    const up = await getMe(app, token);
    expect(up.status).toBe(200);
    expect(up.body).toEqual(PARTNER_A);
  });
});

describe('a JWKS that answers without a usable key (authoritative: stale keys are for outages only)', () => {
  it('refuses cached and new tokens with 401 unknown key once the JWKS lists no key, then accepts them when the keys come back', async () => {
    const emptying = await startJwksEndpoint(reply.proxy(running().jwksUri));
    // Keys kept 1 s; the default 3600 s stale window would keep them for an hour in an outage.
    const app = await startApp({
      jwksUri: emptying.url('/jwks'),
      oauth: { keySet: { cacheMaxAgeSeconds: 1, cooldownSeconds: 0 } },
    });
    const [cached, unseen] = await Promise.all([newToken(), newToken()]);
    expect((await getMe(app, cached)).status).toBe(200);

    emptying.route('/jwks', reply.json({ keys: [] }));
    await delay(1_100); // past cacheMaxAgeSeconds: the next request starts the refresh
    const refused = await pollUntil(
      () => getMe(app, cached),
      (result) => result.status === 401,
      { timeoutMs: 5_000, intervalMs: 200 },
    );
    expectRefusal(refused, REFUSALS.unknownKid);
    expectRefusal(await getMe(app, unseen), REFUSALS.unknownKid);

    emptying.route('/jwks', reply.proxy(running().jwksUri));
    const back = await getMe(app, unseen); // an unknown kid refetches (cooldown 0)
    expect(back.status).toBe(200);
    expect(back.body).toEqual(PARTNER_A);
  });
});

describe('a JWKS URL that redirects to another origin', () => {
  it("answers 503 rather than fetch keys from the redirect's target (here the issuer's real JWKS)", async () => {
    const redirector = await startJwksEndpoint(reply.redirect(running().jwksUri));
    const app = await startApp({ jwksUri: redirector.url('/jwks') });

    expectRefusal(await getMe(app, await newToken()), REFUSALS.keySetUnavailable);
  });
});

describe('discovery', () => {
  it("finds the JWKS through the issuer's /.well-known/openid-configuration when jwksUri is not set", async () => {
    const metadata = await fetch(`${running().issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(await metadata.json()).toMatchObject({
      issuer: running().issuer,
      jwks_uri: running().jwksUri,
    });

    const discovered = await startApp({ jwksUri: undefined });
    const response = await getMe(discovered, await newToken());
    expect(response.status).toBe(200);
    expect(response.body).toEqual(PARTNER_A);
  });
});

describe('key rotation at the authorization server', () => {
  /**
   * The tests below rotate twice within a few seconds. An app refetches the key set for an
   * unknown kid at most once per `cooldownSeconds` (default 30 s), so with the default the second
   * new kid would be refused until the cooldown or the cache age ran out. The apps other than
   * `defaults` set the cooldown to 0; `defaults` keeps it, and a test shows the refusal.
   */
  const noCooldown = { cooldownSeconds: 0 };
  /** Keys kept at most 1 s, so a retired key disappears without a restart. */
  const shortCache = { cacheMaxAgeSeconds: 1, cooldownSeconds: 0 };

  let rotating: TestApp;
  let defaults: TestApp;
  let refreshing: TestApp;
  /** Same settings as `refreshing`; holds an old-kid token in its verified-token cache. */
  let refreshingCached: TestApp;

  let oldKid: unknown;
  /** Signed with the first key; `oldSeen` is used before the rotation, the others only after. */
  let oldSeen: string;
  let oldUnseen: string;
  let oldUnseenUntilRetirement: string;

  beforeAll(async () => {
    [rotating, defaults, refreshing, refreshingCached] = await Promise.all([
      startApp({ oauth: { keySet: noCooldown } }),
      startApp(),
      startApp({ oauth: { keySet: shortCache } }),
      startApp({ oauth: { keySet: shortCache } }),
    ]);
    [oldSeen, oldUnseen, oldUnseenUntilRetirement] = await Promise.all([
      newToken(),
      newToken(),
      newToken(),
    ]);
    oldKid = kidOf(oldSeen);
    // Each app fetches the key set (first key only) and caches the verified token.
    for (const app of [rotating, defaults, refreshing, refreshingCached]) {
      expect((await getMe(app, oldSeen)).status).toBe(200);
    }
  });

  it('accepts tokens signed with the new key (new kid) without a restart', async () => {
    const newKid = await running().rotateKeys();
    expect(newKid).not.toBe(oldKid);
    const token = await newToken();
    expect(kidOf(token)).toBe(newKid);

    for (const app of [rotating, defaults, refreshing]) {
      const response = await getMe(app, token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(PARTNER_A);
    }
  });

  it('keeps accepting still-valid tokens signed with the previous key', async () => {
    for (const app of [rotating, defaults]) {
      expect((await getMe(app, oldSeen)).status).toBe(200);
      expect((await getMe(app, oldUnseen)).status).toBe(200);
    }
  });

  it('with the default 30 s cooldown, refuses a second new kid seen within the window; with cooldown 0 accepts it', async () => {
    // `defaults` refetched for the previous rotation's kid moments ago.
    const newerKid = await running().rotateKeys();
    const token = await newToken();
    expect(kidOf(token)).toBe(newerKid);

    expectRefusal(await getMe(defaults, token), REFUSALS.unknownKid);
    expect((await getMe(rotating, token)).status).toBe(200);
  });

  describe('after retireOldKeys()', () => {
    beforeAll(async () => {
      // `refreshingCached` learns every published key and caches an old-kid token just before
      // the retirement.
      expect((await getMe(refreshingCached, await newToken())).status).toBe(200);
      expect((await getMe(refreshingCached, oldUnseen)).status).toBe(200);
      await running().retireOldKeys();
    });

    it('publishes only the current key', async () => {
      const jwks = await fetch(running().jwksUri, { signal: AbortSignal.timeout(5_000) });
      const published = ((await jwks.json()) as { keys: { kid: string }[] }).keys;
      expect(published.map((key) => key.kid)).toEqual([running().currentKid]);
    });

    it('still accepts an old-kid token until the key set cache expires (cacheMaxAgeSeconds default 600)', async () => {
      // `rotating` fetched its keys before the retirement and may use them for 600 s.
      expect((await getMe(rotating, oldUnseenUntilRetirement)).status).toBe(200);
    });

    it('refuses an old-kid token once the key set is refreshed (cacheMaxAgeSeconds 1)', async () => {
      await delay(1_100); // past cacheMaxAgeSeconds: 1
      // `refreshing` has never seen this token. The first request past the max age may still be
      // served by the stale keys while the refresh runs beside it; then the old key is gone.
      const response = await pollUntil(
        () => getMe(refreshing, oldUnseenUntilRetirement),
        (result) => result.status === 401,
        { timeoutMs: 5_000, intervalMs: 200 },
      );
      expectRefusal(response, REFUSALS.unknownKid);
      expect((await getMe(refreshing, await newToken())).status).toBe(200);
    });

    it('refuses an old-kid token that was verified and cached before the retirement once the key set max age (1 s) has passed', async () => {
      // As above, but this app verified the token (and cached it) just before the retirement.
      // The old key must not outlive cacheMaxAgeSeconds because the token is in the cache.
      const response = await pollUntil(
        () => getMe(refreshingCached, oldUnseen),
        (result) => result.status === 401,
        { timeoutMs: 5_000, intervalMs: 200 },
      );
      expectRefusal(response, REFUSALS.unknownKid);
    });

    it('keeps serving the cached keys past their max age while the authorization server is down', async () => {
      const [known, unseen] = await Promise.all([newToken(), newToken()]);
      expect((await getMe(refreshing, known)).status).toBe(200);
      await running().stop();
      await delay(1_200); // past cacheMaxAgeSeconds: 1

      const response = await getMe(refreshing, unseen);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(PARTNER_A);
    });
  });
});
