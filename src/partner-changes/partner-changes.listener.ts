import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { PartnerCache } from '../oauth-jwt';
import { REDIS_SUBSCRIBER } from '../redis/redis.constants';
import { ALL_PARTNERS, PARTNER_CHANGES_CHANNEL } from './partner-changes.constants';

/** Client ids are short printable text; anything else on the channel is ignored. */
const CLIENT_ID = /^[\x21-\x7E]{1,256}$/;

/**
 * Evicts a changed partner from this instance's PartnerCache when any instance (or the partners
 * CLI) announces the change on Redis (publishPartnerChange). Subscribes on every (re)connection;
 * while Redis is down, changes still apply within the partner cache TTL (5 s).
 */
@Injectable()
export class PartnerChangesListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PartnerChanges');

  constructor(
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis | null,
    private readonly partners: PartnerCache,
  ) {}

  onApplicationBootstrap(): void {
    const subscriber = this.subscriber;
    if (!subscriber) return;
    const subscribe = () => {
      subscriber.subscribe(PARTNER_CHANGES_CHANNEL).catch(() => {
        // Redis went away again: the next 'ready' subscribes.
      });
    };
    subscriber.on('ready', subscribe);
    subscriber.on('message', (channel: string, message: string) => {
      this.changed(channel, message);
    });
    if (subscriber.status === 'ready') subscribe();
  }

  onApplicationShutdown(): void {
    this.subscriber?.removeAllListeners('message');
  }

  private changed(channel: string, message: string): void {
    if (channel !== PARTNER_CHANGES_CHANNEL) return;
    if (message === ALL_PARTNERS) {
      this.partners.evictAll();
    } else if (CLIENT_ID.test(message)) {
      this.partners.evict(message);
    } else {
      this.logger.warn('ignored a malformed partner change message');
    }
  }
}
