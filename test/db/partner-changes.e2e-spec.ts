import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { rowsOf, type OpenDatabase } from '../../src/database/database';
import { openDatabase } from '../../src/database/open-database';
import { PartnerCache } from '../../src/oauth-jwt';
import {
  PARTNER_CHANGES_POLL_MS,
  PartnerChangesWatcher,
} from '../../src/partners/partner-changes.watcher';
import { PARTNER_CHANGE_RETENTION_SECONDS } from '../../src/partners/partners.repository';
import { SqlPartnersRepository } from '../../src/partners/sql-partners.repository';
import { TEST_DATABASES, within } from './support/databases';

/** A running watcher over `partners`, evicting from a real PartnerCache whose evictions are counted. */
async function startWatcher(partners: SqlPartnersRepository) {
  const cache = new PartnerCache({
    clientCache: { ttlSeconds: 5, maxEntries: 10, keyBy: 'claims' },
  });
  const evicted = jest.spyOn(cache, 'evict');
  const watcher = new PartnerChangesWatcher(partners, cache);
  await watcher.onApplicationBootstrap();
  return { watcher, evicted };
}

jest.setTimeout(60_000);

describe.each(TEST_DATABASES)('the partner change feed on %s', (_label, database) => {
  let open: OpenDatabase | undefined;
  let partners: SqlPartnersRepository;

  function db(): OpenDatabase['db'] {
    if (!open) throw new Error('the database is not open');
    return open.db;
  }

  /** The client ids in partner_changes, oldest first. */
  async function feed(): Promise<string[]> {
    const result = await db().execute(sql`SELECT client_id FROM partner_changes ORDER BY id`);
    return rowsOf<{ client_id: string }>(result).map((row) => row.client_id);
  }

  /** Dates every change of the feed (or of one partner) `seconds` back. */
  async function age(seconds: number, clientId?: string): Promise<void> {
    await db().execute(
      sql`UPDATE partner_changes SET changed_at = now() - make_interval(secs => ${seconds})
          WHERE ${clientId ?? null}::text IS NULL OR client_id = ${clientId ?? null}`,
    );
  }

  beforeAll(async () => {
    open = await openDatabase(await database.settings(), { serveSocket: false });
    partners = new SqlPartnersRepository(open.db);
    await partners.seed([
      { clientId: 'old', name: 'Old' },
      { clientId: 'recent', name: 'Recent' },
      { clientId: 'writer', name: 'Writer' },
    ]);
  });

  afterAll(async () => {
    await open?.close();
  });

  it('deletes the changes older than the retention whenever a change is written', async () => {
    await age(PARTNER_CHANGE_RETENTION_SECONDS + 60, 'old');
    await age(PARTNER_CHANGE_RETENTION_SECONDS - 60, 'recent');
    await age(PARTNER_CHANGE_RETENTION_SECONDS + 60, 'writer');
    expect(await feed()).toEqual(['old', 'recent', 'writer']);

    expect(await partners.setStatus('writer', 'suspended')).toBe(true);

    expect(await feed()).toEqual(['recent', 'writer']);
  });

  it('never loses a change for an instance that is up, even once the feed was pruned empty', async () => {
    const { watcher, evicted } = await startWatcher(partners);
    try {
      await age(PARTNER_CHANGE_RETENTION_SECONDS + 60);
      await partners.setScopes('recent', ['list:users']);
      expect(await feed()).toEqual(['recent']);
      await within(5_000, () => Promise.resolve(evicted.mock.calls.length === 1));

      await age(PARTNER_CHANGE_RETENTION_SECONDS + 60);
      await partners.setRateLimit('old', 10);
      expect(await feed()).toEqual(['old']);
      await within(5_000, () => Promise.resolve(evicted.mock.calls.length === 2));
      expect(evicted.mock.calls).toEqual([['recent'], ['old']]);
    } finally {
      await watcher.onApplicationShutdown();
    }
  });

  it('starts a new instance after the latest change, pruned or not', async () => {
    const [latest] = rowsOf<{ id: string | number }>(
      await db().execute(sql`SELECT max(id) AS id FROM partner_changes`),
    );
    expect(await partners.latestChange()).toBe(Number(latest?.id));
    expect(await partners.changesSince(await partners.latestChange(), 10)).toEqual([]);
  });
});

// Only PostgreSQL runs transactions side by side (PGlite has one connection), so only there can a
// change with a lower id commit after a later one was read.
for (const [label, database] of TEST_DATABASES.filter(([, db]) => db.name === 'PostgreSQL')) {
  describe(`the partner change watcher on ${label}`, () => {
    let open: OpenDatabase | undefined;
    let slow: Client | undefined;

    afterAll(async () => {
      await slow?.end();
      await open?.close();
    });

    it('evicts a change that commits after a later change was read, within about a second', async () => {
      const settings = await database.settings();
      open = await openDatabase(settings, { serveSocket: false });
      const partners = new SqlPartnersRepository(open.db);
      await partners.seed([
        { clientId: 'slow', name: 'Slow' },
        { clientId: 'quick', name: 'Quick' },
      ]);
      const { watcher, evicted } = await startWatcher(partners);
      try {
        if (!('url' in settings)) throw new Error('PostgreSQL settings have a url');
        slow = new Client({ connectionString: settings.url });
        await slow.connect();
        // What recordChanges does, in a transaction left open: it takes the lower id.
        await slow.query('BEGIN');
        await slow.query(`UPDATE partners SET status = 'suspended' WHERE client_id = 'slow'`);
        const taken = await slow.query<{ id: string }>(
          `INSERT INTO partner_changes (client_id) VALUES ('slow') RETURNING id`,
        );
        await partners.setStatus('quick', 'suspended');
        await within(5_000, () => Promise.resolve(evicted.mock.calls.length === 1));
        expect(evicted.mock.calls).toEqual([['quick']]);
        expect(Number(taken.rows[0]?.id)).toBeLessThan(await partners.latestChange());

        await slow.query('COMMIT');

        // A poll interval, and the poll itself.
        await within(PARTNER_CHANGES_POLL_MS + 1_000, () =>
          Promise.resolve(evicted.mock.calls.length === 2),
        );
        expect(evicted.mock.calls).toEqual([['quick'], ['slow']]);
      } finally {
        await watcher.onApplicationShutdown();
      }
    });
  });
}
