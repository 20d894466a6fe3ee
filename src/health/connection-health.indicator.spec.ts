import { Test } from '@nestjs/testing';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConnectionHealthIndicator } from './connection-health.indicator';

const TOKEN = 'TEST:STORE';

interface Store {
  ping(): Promise<string>;
}

class StoreHealthIndicator extends ConnectionHealthIndicator<Store>(TOKEN, 'store', (store) => ({
  answers: () => store.ping(),
  details: { kind: 'test' },
  downMessage: 'The store does not answer',
})) {}

async function indicatorFor(store: Store | null): Promise<StoreHealthIndicator> {
  const moduleRef = await Test.createTestingModule({
    providers: [{ provide: TOKEN, useValue: store }, HealthIndicatorService, StoreHealthIndicator],
  }).compile();
  return moduleRef.get(StoreHealthIndicator);
}

describe('ConnectionHealthIndicator', () => {
  it('reports an app without the connection as not configured, and up', async () => {
    const indicator = await indicatorFor(null);
    expect(indicator.configured).toBe(false);
    await expect(indicator.isHealthy()).resolves.toEqual({
      store: { configured: false, status: 'up' },
    });
  });

  it('answers up, with the details, when the connection answers', async () => {
    const indicator = await indicatorFor({ ping: () => Promise.resolve('PONG') });
    expect(indicator.configured).toBe(true);
    await expect(indicator.isHealthy()).resolves.toEqual({ store: { kind: 'test', status: 'up' } });
  });

  it('answers down with the fixed message, never the cause, when the connection fails', async () => {
    const cause = new Error('connect ECONNREFUSED db.internal:5432');
    const indicator = await indicatorFor({ ping: () => Promise.reject(cause) });
    const result = await indicator.isHealthy();
    expect(result).toEqual({
      store: { kind: 'test', message: 'The store does not answer', status: 'down' },
    });
    expect(JSON.stringify(result)).not.toContain('db.internal');
  });
});
