import request from 'supertest';
import { pollUntil } from '../support/network';
import { usePartnerSuite } from '../support/partner-suite';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { appConfigFor, closeAll, startTestApp, type TestApp } from '../support/test-app';

const LIMIT = 4;
const { issuer, tokens } = usePartnerSuite(['partnerA', 'partnerB', 'readOnly']);

let redis: RedisServer | undefined;
/** Two instances of the API on one Redis, as behind a load balancer. */
let first: TestApp | undefined;
let second: TestApp | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  const scale = {
    quota: { partnerRateLimit: LIMIT, authFailureLimit: 0 },
    redisUrl: redis.url,
  };
  first = await startTestApp(appConfigFor(issuer()), 'express', scale);
  second = await startTestApp(appConfigFor(issuer()), 'fastify', scale);
});

afterAll(async () => {
  await closeAll(first, second);
  await redis?.stop();
});

function instances(): [TestApp, TestApp] {
  if (!first || !second) throw new Error('the instances are not running');
  return [first, second];
}

const listUsers = (app: TestApp, token: string) =>
  request(app.url).get('/users').set('Authorization', `Bearer ${token}`);

async function spendAlternately(token: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 1) {
    statuses.push((await listUsers(instances()[index % 2]!, token)).status);
  }
  return statuses;
}

describe('two instances on one Redis', () => {
  it('share a partner’s quota: the sum over both instances stays within the limit', async () => {
    expect(await spendAlternately(tokens.partnerA, LIMIT)).toEqual(Array(LIMIT).fill(200));
    const [one, two] = instances();
    expect((await listUsers(one, tokens.partnerA)).status).toBe(429);
    expect((await listUsers(two, tokens.partnerA)).status).toBe(429);
  });

  it('report Redis in /health/ready beside the key set', async () => {
    for (const app of instances()) {
      const response = await request(app.url).get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.info).toMatchObject({
        'oauth-jwt': { status: 'up' },
        redis: { status: 'up' },
      });
    }
  });

  describe('while Redis is down', () => {
    beforeAll(async () => {
      await redis?.stop();
    });

    it('turn not ready (503), naming Redis down and the key set still up', async () => {
      for (const app of instances()) {
        const response = await request(app.url).get('/health/ready');
        expect(response.status).toBe(503);
        expect(response.body.error).toMatchObject({ redis: { status: 'down' } });
        expect(response.body.info).toMatchObject({ 'oauth-jwt': { status: 'up' } });
      }
    });

    it('keep serving partners, each instance counting the quota on its own (fail over)', async () => {
      const [one, two] = instances();
      for (let used = 0; used < LIMIT; used += 1) {
        expect((await listUsers(one, tokens.readOnly)).status).toBe(200);
      }
      expect((await listUsers(one, tokens.readOnly)).status).toBe(429);
      // The other instance has its own count meanwhile: the documented slack (limit × instances).
      expect((await listUsers(two, tokens.readOnly)).status).toBe(200);
    });
  });

  describe('once Redis is back', () => {
    beforeAll(async () => {
      await redis?.start();
    });

    it('turn ready again within the reconnection bound', async () => {
      for (const app of instances()) {
        const response = await pollUntil(
          () => request(app.url).get('/health/ready'),
          (result) => result.status === 200,
          { timeoutMs: 5_000 },
        );
        expect(response.status).toBe(200);
      }
    });

    it('share quotas again', async () => {
      expect(await spendAlternately(tokens.partnerB, LIMIT)).toEqual(Array(LIMIT).fill(200));
      const [one, two] = instances();
      expect((await listUsers(one, tokens.partnerB)).status).toBe(429);
      expect((await listUsers(two, tokens.partnerB)).status).toBe(429);
    });
  });
});
