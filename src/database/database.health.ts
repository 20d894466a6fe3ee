import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { sql } from 'drizzle-orm';
import { probeConnection } from '../health/probe-connection';
import { DATABASE } from './database.constants';
import type { OpenDatabase } from './database';

/** How long `select 1` may take before the database counts as down. */
export const DATABASE_PROBE_TIMEOUT_MS = 1_000;

/** Readiness of the database: up when `select 1` answers within DATABASE_PROBE_TIMEOUT_MS. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(DATABASE) private readonly database: OpenDatabase | undefined,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Whether the app has a database (readiness reports it only then; without, data is in memory). */
  get configured(): boolean {
    return this.database !== undefined;
  }

  isHealthy(key = 'database'): Promise<HealthIndicatorResult> {
    const { database } = this;
    return probeConnection(
      this.health.check(key),
      database && {
        answers: () => selectOneInTime(database),
        details: { kind: database.kind },
        downMessage: 'The database does not answer',
      },
    );
  }
}

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
