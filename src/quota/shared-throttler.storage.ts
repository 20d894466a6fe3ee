import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The quota counters: in Redis when REDIS_URL is set (one count for every instance), else in this
 * process. Redis failure policy: fail over to this instance's own in-memory counter, with one
 * warning per outage, and back to Redis as soon as it answers. During an outage a partner can thus
 * make up to its limit on each instance (limit × instances), never unlimited, and the API keeps
 * answering; readiness reports Redis down meanwhile.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Quota');
  private failing = false;

  constructor(
    private readonly local: ThrottlerStorage,
    private readonly shared: ThrottlerStorage | undefined,
  ) {}

  get isShared(): boolean {
    return this.shared !== undefined && !this.failing;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.shared) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      // The Redis script sets its block with PX, which must be positive: 1 ms blocks nothing more
      // than the window already does (the count stays over the limit until the window ends).
      const record = await this.shared.increment(
        key,
        ttl,
        limit,
        Math.max(1, blockDuration),
        throttlerName,
      );
      this.recovered();
      // A fixed window: a refused partner may retry when the window ends.
      return {
        ...record,
        timeToBlockExpire: record.isBlocked
          ? Math.max(record.timeToExpire, record.timeToBlockExpire)
          : 0,
      };
    } catch (error) {
      this.failed(error);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
    const why = typeof code === 'string' ? code : typeof name === 'string' ? name : 'error';
    this.logger.warn(
      `Redis unavailable (${why}): quotas are counted per instance until it returns`,
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('Redis available again: quotas are shared by every instance');
  }
}
