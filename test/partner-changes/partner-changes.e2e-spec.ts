import Redis from 'ioredis';
import request from 'supertest';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { ALL_PARTNERS } from '../../src/partner-changes/partner-changes.constants';
import { publishPartnerChange } from '../../src/partner-changes/publish-partner-change';
import { PartnerCache } from '../../src/oauth-jwt';
import { startTestAuthorizationServer, TEST_CLIENTS } from '../support/authorization-server';
import { pollUntil } from '../support/network';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  type TestApp,
} from '../support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA } = TEST_CLIENTS;

let issuer: DevIssuer | undefined;
let redis: RedisServer | undefined;
let publisher: Redis | undefined;
let apps: TestApp[] = [];
let token: string;

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  redis = await startRedisServer();
  publisher = new Redis(redis.url, { maxRetriesPerRequest: 0 });
  token = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
  const scale = { quota: { partnerRateLimit: 0, authFailureLimit: 0 }, redisUrl: redis.url };
  const config = appConfigFor(issuer);
  apps = [
    await startTestApp(config, 'express', scale),
    await startTestApp(config, 'fastify', scale),
  ];
});

afterAll(async () => {
  await closeAll(...apps);
  publisher?.disconnect();
  await redis?.stop();
  await issuer?.stop();
});

/** Publishes until every instance has subscribed (a bounded wait), as the CLI would once. */
async function announce(clientId: string): Promise<void> {
  if (!publisher) throw new Error('no publisher');
  const receivers = await pollUntil(
    () => publishPartnerChange(publisher!, clientId).catch(() => 0),
    (count) => count >= apps.length,
    { timeoutMs: 5_000, intervalMs: 50 },
  );
  expect(receivers).toBe(apps.length);
}

describe('a partner change announced on Redis', () => {
  it('evicts that partner from the partner cache of every instance', async () => {
    const evictions = apps.map((app) => jest.spyOn(app.app.get(PartnerCache), 'evict'));
    await announce(partnerA.clientId);
    await pollUntil(
      () => Promise.resolve(evictions.every((spy) => spy.mock.calls.length > 0)),
      (done) => done,
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    for (const spy of evictions) expect(spy).toHaveBeenCalledWith(partnerA.clientId);
  });

  it('evicts every partner everywhere with the "*" message', async () => {
    const evictions = apps.map((app) => jest.spyOn(app.app.get(PartnerCache), 'evictAll'));
    await announce(ALL_PARTNERS);
    await pollUntil(
      () => Promise.resolve(evictions.every((spy) => spy.mock.calls.length > 0)),
      (done) => done,
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    for (const spy of evictions) expect(spy).toHaveBeenCalledTimes(1);
  });

  it('ignores a message that is no client id', async () => {
    const evictions = apps.map((app) => jest.spyOn(app.app.get(PartnerCache), 'evict'));
    evictions.forEach((spy) => spy.mockClear());
    await announce('bad\nid');
    await announce(partnerA.clientId); // delivered after the bad one, in order
    await pollUntil(
      () => Promise.resolve(evictions.every((spy) => spy.mock.calls.length > 0)),
      (done) => done,
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    for (const spy of evictions) expect(spy.mock.calls).toEqual([[partnerA.clientId]]);
  });

  it('keeps serving partners meanwhile', async () => {
    for (const app of apps) {
      const response = await request(app.url).get('/users').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(200);
    }
  });
});
