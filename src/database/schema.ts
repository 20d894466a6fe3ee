import {
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The sample's tables, as drizzle sees them. The DDL that creates them lives in migrations.ts
 * (versioned, applied in order at start-up); keep both in step.
 */
export const partners = pgTable('partners', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  /** `active` or `suspended`. */
  status: text('status').notNull().default('active'),
  /** The granted scopes; NULL grants whatever the token carries (partners seeded without scopes). */
  scopes: text('scopes').array(),
  /** Its own request quota (requests a minute, > 0); NULL: the default, PARTNER_RATE_LIMIT. */
  rateLimitPerMinute: integer('rate_limit_per_minute'),
  /** RFC 7592 management of the client at the authorization server, when we registered it. */
  registrationClientUri: text('registration_client_uri'),
  registrationAccessToken: text('registration_access_token'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.clientId, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** lower(email): one address per partner, whatever its case. */
    emailKey: text('email_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_partner_email_key').on(table.partnerId, table.emailKey),
    index('users_partner_id').on(table.partnerId, table.id),
  ],
);

/** One row per partner change: every app instance polls it to evict that partner from its cache. */
export const partnerChanges = pgTable('partner_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  clientId: text('client_id').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});
