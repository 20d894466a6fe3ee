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
      // A plain fixed window, decided here: the Redis script only counts. Its own block (a key
      // with PX blockDuration) is never set (limit out of reach), because once that key reaches
      // PTTL 0 the script resets the count to 1: with a short block, refusals landing in the same
      // millisecond reopened the window (145 extra admissions in 300 quick requests, tested).
      const record = await this.shared.increment(
        key,
        ttl,
        Number.MAX_SAFE_INTEGER,
        Math.max(1, blockDuration),
        throttlerName,
      );
      this.recovered();
      const isBlocked = record.totalHits > limit;
      // A refused partner may retry when the window ends.
      return {
        ...record,
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.max(1, record.timeToExpire) : 0,
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
