import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { QuotaConfig } from '../config/scale-config';
import { QUOTA_CONFIG, QUOTA_WINDOW_SECONDS } from './quota.constants';

interface Window {
  count: number;
  readonly endsAt: number;
}

/**
 * Failed authentications (401) per client IP in a fixed one-minute window, on this instance: the
 * signature checks it protects are this instance's CPU, so the count is local by design. Bounded
 * in memory (least recently seen addresses are forgotten first).
 */
@Injectable()
export class AuthFailureCounter {
  private readonly windows = new LRUCache<string, Window>({ max: 50_000 });

  constructor(@Inject(QUOTA_CONFIG) private readonly config: QuotaConfig) {}

  get limit(): number {
    return this.config.authFailureLimit;
  }

  failed(ip: string): void {
    const now = Date.now();
    const window = this.windows.get(ip);
    if (window && window.endsAt > now) window.count += 1;
    else this.windows.set(ip, { count: 1, endsAt: now + QUOTA_WINDOW_SECONDS * 1000 });
  }

  /** Seconds until `ip` may try again, or 0 when it is within its limit. */
  retryAfter(ip: string): number {
    if (this.limit <= 0) return 0;
    const now = Date.now();
    const window = this.windows.get(ip);
    if (!window || window.endsAt <= now || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  }
}
