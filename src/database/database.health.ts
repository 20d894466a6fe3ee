import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { sql } from 'drizzle-orm';
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

  async isHealthy(key = 'database'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    if (!this.database) return session.up({ configured: false });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('timeout'));
      }, DATABASE_PROBE_TIMEOUT_MS);
    });
    const probe = this.database.db.execute(sql`select 1`);
    // A probe that loses the race must not become an unhandled rejection.
    probe.catch(() => undefined);
    try {
      await Promise.race([probe, timeout]);
      return session.up({ kind: this.database.kind });
    } catch {
      // The cause stays out of the probe's answer (it may name hosts); the requests log it.
      return session.down({ kind: this.database.kind, message: 'The database does not answer' });
    } finally {
      clearTimeout(timer);
    }
  }
}
