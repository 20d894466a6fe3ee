import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../database/database';
import { isUniqueViolation } from '../database/database-errors';
import { partnerChanges, partners } from '../database/schema';
import type { PartnerRecord, PartnerSeed } from './partner.interface';
import {
  PARTNER_CHANGE_RETENTION_SECONDS,
  PartnerExistsError,
  PartnersRepository,
  type ChangeIdGap,
  type PartnerChange,
  type PartnerUpdate,
} from './partners.repository';

type Row = typeof partners.$inferSelect;
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The partner registry on PostgreSQL or PGlite (drizzle). */
export class SqlPartnersRepository extends PartnersRepository {
  constructor(private readonly db: Database) {
    super();
  }

  override async find(clientId: string): Promise<PartnerRecord | undefined> {
    const [row] = await this.db.select().from(partners).where(eq(partners.clientId, clientId));
    return row ? toRecord(row) : undefined;
  }

  override async list(): Promise<PartnerRecord[]> {
    const rows = await this.db.select().from(partners).orderBy(asc(partners.clientId));
    return rows.map(toRecord);
  }

  override async seed(seeds: readonly PartnerSeed[]): Promise<void> {
    if (seeds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const seed of seeds) {
        await tx
          .insert(partners)
          .values({
            clientId: seed.clientId,
            name: seed.name,
            status: seed.status ?? 'active',
            scopes: seed.scopes ? [...seed.scopes] : null,
            rateLimitPerMinute: seed.rateLimitPerMinute ?? null,
          })
          .onConflictDoUpdate({
            target: partners.clientId,
            set: {
              name: seed.name,
              ...(seed.status ? { status: seed.status } : {}),
              ...(seed.scopes ? { scopes: [...seed.scopes] } : {}),
              ...(seed.rateLimitPerMinute ? { rateLimitPerMinute: seed.rateLimitPerMinute } : {}),
            },
          });
      }
      await recordChanges(tx, seeds);
    });
  }

  override async create(record: PartnerRecord): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(partners).values({
          clientId: record.clientId,
          name: record.name,
          status: record.status,
          scopes: record.scopes ? [...record.scopes] : null,
          rateLimitPerMinute: record.rateLimitPerMinute,
          registrationClientUri: record.registrationClientUri,
          registrationAccessToken: record.registrationAccessToken,
        });
        await recordChanges(tx, [record]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new PartnerExistsError(record.clientId);
      throw error;
    }
  }

  override async delete(clientId: string): Promise<PartnerRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.delete(partners).where(eq(partners.clientId, clientId)).returning();
      if (row) await recordChanges(tx, [row]);
      return row ? toRecord(row) : undefined;
    });
  }

  override async latestChange(): Promise<number> {
    const [row] = await this.db
      .select({ id: sql<number>`coalesce(max(${partnerChanges.id}), 0)`.mapWith(Number) })
      .from(partnerChanges);
    return row?.id ?? 0;
  }

  override async changesSince(id: number, limit: number): Promise<PartnerChange[]> {
    return this.db
      .select({ id: partnerChanges.id, clientId: partnerChanges.clientId })
      .from(partnerChanges)
      .where(gt(partnerChanges.id, id))
      .orderBy(asc(partnerChanges.id))
      .limit(limit);
  }

  override async changesWithin(
    gaps: readonly ChangeIdGap[],
    limit: number,
  ): Promise<PartnerChange[]> {
    if (gaps.length === 0) return [];
    const inGap = gaps.map(({ after, before }) =>
      and(gt(partnerChanges.id, after), lt(partnerChanges.id, before)),
    );
    return this.db
      .select({ id: partnerChanges.id, clientId: partnerChanges.clientId })
      .from(partnerChanges)
      .where(or(...inGap))
      .orderBy(asc(partnerChanges.id))
      .limit(limit);
  }

  protected override async update(clientId: string, change: PartnerUpdate): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(partners)
        .set({ ...change, scopes: change.scopes && [...change.scopes] })
        .where(eq(partners.clientId, clientId))
        .returning({ clientId: partners.clientId });
      if (rows.length > 0) await recordChanges(tx, rows);
      return rows.length > 0;
    });
  }
}

/** Records the changes in the writer's transaction, and prunes the feed of the expired ones. */
async function recordChanges(
  tx: Tx,
  changed: readonly { readonly clientId: string }[],
): Promise<void> {
  await tx.insert(partnerChanges).values(changed.map(({ clientId }) => ({ clientId })));
  // The database's clock on both sides (now(): this transaction's start, so never its own rows).
  await tx
    .delete(partnerChanges)
    .where(
      lt(
        partnerChanges.changedAt,
        sql`now() - make_interval(secs => ${PARTNER_CHANGE_RETENTION_SECONDS})`,
      ),
    );
}

function toRecord(row: Row): PartnerRecord {
  return {
    clientId: row.clientId,
    name: row.name,
    status: row.status === 'suspended' ? 'suspended' : 'active',
    scopes: row.scopes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    registrationClientUri: row.registrationClientUri,
    registrationAccessToken: row.registrationAccessToken,
  };
}
