import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PartnerCache } from '../oauth-jwt';
import { PartnersRepository } from './partners.repository';

/** How often every instance looks for partner changes (the CLI's, another instance's). */
export const PARTNER_CHANGES_POLL_MS = 1_000;
const BATCH = 500;

/**
 * Evicts a changed partner from this instance's cache within about a second of the change (the
 * cache's 5 s TTL is the bound if polling fails). Polling a change table works the same on PGlite
 * and PostgreSQL, and across instances.
 */
@Injectable()
export class PartnerChangesWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartnerChangesWatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private polling: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly partners: PartnersRepository,
    private readonly cache: PartnerCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.last = await this.partners.latestChange();
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, PARTNER_CHANGES_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Evicts every partner changed since the last poll. */
  async poll(): Promise<void> {
    try {
      const changes = await this.partners.changesSince(this.last, BATCH);
      for (const change of changes) {
        this.cache.evict(change.clientId);
        this.last = change.id;
      }
      if (this.failing) this.logger.log('Partner changes are read again');
      this.failing = false;
    } catch {
      // The database is down: the cache TTL still bounds staleness. Said once, not every second.
      if (!this.failing) this.logger.warn('Cannot read partner changes; retrying every second');
      this.failing = true;
    }
  }
}
