import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';
import { SharedThrottlerStorage } from '../../src/quota/shared-throttler.storage';
import { startRedisServer, type RedisServer } from '../support/redis-server';

jest.setTimeout(20_000);

let redis: RedisServer | undefined;
let client: Redis | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url, { maxRetriesPerRequest: 0 });
});

afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

describe('the shared quota counter on a real Redis', () => {
  it('admits exactly the limit in a window, however fast the refused requests come', async () => {
    const storage = new SharedThrottlerStorage(
      new ThrottlerStorageService(),
      new ThrottlerStorageRedisService(client),
    );
    const LIMIT = 3;
    // Sequential bursts: the refusals land within the same milliseconds as one another.
    const admitted: number[] = [];
    for (let hit = 0; hit < 300; hit += 1) {
      const record = await storage.increment('quota:partner:burst', 60_000, LIMIT, 0, 'partner');
      if (!record.isBlocked) admitted.push(hit);
      else expect(record.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    }
    expect(admitted).toEqual([0, 1, 2]);
  });
});
