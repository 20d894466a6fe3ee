import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { ConnectionHealthIndicator } from '../health/connection-health.indicator';
import { DATABASE } from './database.constants';
import type { OpenDatabase } from './database';

/** How long `select 1` may take before the database counts as down. */
export const DATABASE_PROBE_TIMEOUT_MS = 1_000;

/**
 * Readiness of the database (when the app has one; without, data is in memory): up when
 * `select 1` answers within DATABASE_PROBE_TIMEOUT_MS.
 */
@Injectable()
export class DatabaseHealthIndicator extends ConnectionHealthIndicator<OpenDatabase>(
  DATABASE,
  'database',
  (database) => ({
    answers: () => selectOneInTime(database),
    details: { kind: database.kind },
    downMessage: 'The database does not answer',
  }),
) {}

async function selectOneInTime(database: OpenDatabase): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timeout'));
    }, DATABASE_PROBE_TIMEOUT_MS);
  });
  const probe = database.db.execute(sql`select 1`);
  // A probe that loses the race must not become an unhandled rejection.
  probe.catch(() => undefined);
  try {
    await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
