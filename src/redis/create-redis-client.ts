import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/** How long one Redis command may take before it counts as a failure (the request does not wait). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Longest wait between reconnection attempts while Redis is down. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * An ioredis client that never makes a request wait for an absent Redis: no offline queue (a
 * command fails at once while disconnected), one attempt per command, a command timeout, and
 * reconnection forever in the background. Connection errors are logged once per outage, not per
 * retry; the URL (it may hold a password) is never logged.
 */
export function createRedisClient(url: string, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, REDIS_MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  });
  let down = false;
  client.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    logger.warn(`unreachable (${error.code ?? error.name}); retrying in the background`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('reachable again');
  });
  return client;
}
