import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** The sample's database through drizzle: the same type on PGlite and on node-postgres. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** Where the data lives: a PostgreSQL server, or the embedded PGlite under a directory. */
export type DatabaseSettings = { readonly url: string } | { readonly dataDir: string };

/** An open database and how to close it. */
export interface OpenDatabase {
  readonly db: Database;
  /** `postgres` (DATABASE_URL) or `embedded` (PGlite under DATA_DIR). */
  readonly kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

/** Rows of a raw `db.execute(...)`: node-postgres and PGlite both answer `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
