import type Redis from 'ioredis';
import { PARTNER_CHANGES_CHANNEL } from './partner-changes.constants';

/**
 * Tells every instance that a partner changed (suspended, resumed, scopes granted or revoked,
 * deleted), so each evicts it from its partner cache at once instead of within the cache TTL.
 * Call it after the change is committed to the database (`ALL_PARTNERS` for all of them).
 * Resolves with the number of instances that received it; rejects when Redis is unreachable (the
 * change still applies everywhere within the TTL).
 */
export function publishPartnerChange(redis: Redis, clientId: string): Promise<number> {
  return redis.publish(PARTNER_CHANGES_CHANNEL, clientId);
}
