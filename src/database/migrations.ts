/** A schema change: applied once, in `version` order, inside a transaction. */
export interface Migration {
  readonly version: string;
  /** One statement each: PGlite's extended protocol takes a single statement per query. */
  readonly statements: readonly string[];
}

/**
 * Every schema change, oldest first. Append, never edit one that has shipped: databases record the
 * versions they applied (schema_migrations) and skip them. Plain PostgreSQL that runs unchanged on
 * PGlite and on a PostgreSQL server.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: '0001_partners_users_changes',
    statements: [
      `CREATE TABLE partners (client_id text PRIMARY KEY, name text NOT NULL, status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')), scopes text[], registration_client_uri text, registration_access_token text, created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE users (id uuid PRIMARY KEY, partner_id text NOT NULL REFERENCES partners (client_id) ON DELETE CASCADE, name text NOT NULL, email text NOT NULL, email_key text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE UNIQUE INDEX users_partner_email_key ON users (partner_id, email_key)`,
      `CREATE INDEX users_partner_id ON users (partner_id, id)`,
      `CREATE TABLE partner_changes (id bigserial PRIMARY KEY, client_id text NOT NULL, changed_at timestamptz NOT NULL DEFAULT now())`,
    ],
  },
  {
    version: '0002_partner_rate_limit',
    statements: [
      // IF NOT EXISTS: a database that got the column by hand still migrates.
      `ALTER TABLE partners ADD COLUMN IF NOT EXISTS rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0)`,
    ],
  },
];
