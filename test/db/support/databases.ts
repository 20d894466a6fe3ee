import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseSettings } from '../../../src/database/database';

/**
 * The databases every suite here runs on: PGlite in a fresh DATA_DIR, and the PostgreSQL server
 * of TEST_DATABASE_URL when it is set (.ci/run starts one and sets it; scripts/test.js says so when
 * it is not). Each `settings()` call is a database with no partner and no user in it.
 */
export interface TestDatabase {
  readonly name: string;
  settings(): Promise<DatabaseSettings>;
}

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL']?.trim();

export const TEST_DATABASES: readonly (readonly [string, TestDatabase])[] = [
  [
    'PGlite (DATA_DIR)',
    {
      name: 'PGlite',
      settings: () => Promise.resolve({ dataDir: mkdtempSync(join(tmpdir(), 'db-e2e-')) }),
    },
  ],
  ...(TEST_DATABASE_URL
    ? [
        [
          'PostgreSQL (TEST_DATABASE_URL)',
          {
            name: 'PostgreSQL',
            settings: async () => {
              await emptyPostgres(TEST_DATABASE_URL);
              return { url: TEST_DATABASE_URL };
            },
          },
        ] as const,
      ]
    : []),
];

/** Drops the sample's tables, so that the app migrates a new database from scratch. */
async function emptyPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'DROP TABLE IF EXISTS users, partners, partner_changes, schema_migrations CASCADE',
    );
  } finally {
    await client.end();
  }
}

/** A directory for the demo's DATA_DIR (its issuer state, and the embedded database). */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'db-e2e-data-'));
}

/** Polls `check` every 200 ms until it holds, for at most `ms`; resolves how long it took. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`still not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
