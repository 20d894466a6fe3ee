import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './database';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Applies the migrations this database has not applied yet, in order, each in a transaction that
 * also records its version. Idempotent: a second run applies nothing. Two processes migrating at
 * once serialise on an advisory lock. Resolves the versions applied by this call.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(726354901)`);
    await tx.execute(
      sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = rowsOf<{ version: string }>(
      await tx.execute(sql`SELECT version FROM schema_migrations`),
    );
    const versions = new Set(done.map((row) => row.version));
    for (const migration of migrations) {
      if (versions.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO schema_migrations (version) VALUES (${migration.version})`);
      applied.push(migration.version);
    }
  });
  return applied;
}
