import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PartnerCache } from '../oauth-jwt';
import { PartnersRepository, type ChangeIdGap, type PartnerChange } from './partners.repository';

/** How often every instance looks for partner changes (the CLI's, another instance's). */
export const PARTNER_CHANGES_POLL_MS = 1_000;
/**
 * How long an id skipped in the feed is still looked for. Ids are taken when a transaction
 * inserts, not when it commits, so a lower id can appear after a higher one was read; a
 * rolled-back transaction's id never appears, hence a limit.
 */
export const PARTNER_CHANGE_GAP_GRACE_MS = 10_000;
const BATCH = 500;
/** Gaps beyond these (the oldest) are no longer looked for; the cache TTL still bounds them. */
const MAX_GAPS = 500;

interface Gap extends ChangeIdGap {
  readonly noticedAt: number;
}

/**
 * Evicts a changed partner from this instance's cache within about a second of the change's
 * commit (the cache's 5 s TTL is the bound if polling fails). Polling a change table works the
 * same on PGlite and PostgreSQL, and across instances. It reads the rows after the highest id
 * read, and again the ids skipped below it (gaps) for PARTNER_CHANGE_GAP_GRACE_MS: a transaction
 * that took a lower id may commit after a later one was read.
 */
@Injectable()
export class PartnerChangesWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartnerChangesWatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private highest = 0;
  /** Ids below `highest` not read yet, in id order. */
  private gaps: Gap[] = [];
  private polling: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly partners: PartnersRepository,
    private readonly cache: PartnerCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.highest = await this.partners.latestChange();
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, PARTNER_CHANGES_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Evicts every partner changed since the last poll, each change once. */
  async poll(): Promise<void> {
    try {
      const now = Date.now();
      if (this.gaps.length > 0) {
        for (const change of await this.partners.changesWithin(this.gaps, BATCH)) {
          this.fill(change);
        }
      }
      for (const change of await this.partners.changesSince(this.highest, BATCH)) {
        if (change.id > this.highest + 1) {
          this.gaps.push({ after: this.highest, before: change.id, noticedAt: now });
        }
        this.highest = change.id;
        this.cache.evict(change.clientId);
      }
      // Expired only after a successful read: after an outage each gap is read once more.
      this.gaps = this.gaps
        .filter((gap) => now - gap.noticedAt < PARTNER_CHANGE_GAP_GRACE_MS)
        .slice(-MAX_GAPS);
      if (this.failing) this.logger.log('Partner changes are read again');
      this.failing = false;
    } catch {
      // The database is down: the cache TTL still bounds staleness. Said once, not every second.
      if (!this.failing) this.logger.warn('Cannot read partner changes; retrying every second');
      this.failing = true;
    }
  }

  /** Evicts a change read late, and takes its id out of its gap. */
  private fill(change: PartnerChange): void {
    const at = this.gaps.findIndex((gap) => gap.after < change.id && change.id < gap.before);
    const gap = this.gaps[at];
    if (!gap) return;
    const split = [
      { ...gap, before: change.id },
      { ...gap, after: change.id },
    ].filter(({ after, before }) => before - after > 1);
    this.gaps.splice(at, 1, ...split);
    this.cache.evict(change.clientId);
  }
}
