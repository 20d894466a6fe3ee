import { PartnerCache } from '../oauth-jwt';
import { MemoryPartnersRepository } from './memory-partners.repository';
import { PARTNER_CHANGE_GAP_GRACE_MS, PartnerChangesWatcher } from './partner-changes.watcher';
import type { ChangeIdGap, PartnerChange } from './partners.repository';

/**
 * A change feed whose rows become visible in the order the test commits them, whatever their
 * ids: what PostgreSQL does when a transaction with a lower id commits after one with a higher.
 */
class ScriptedFeed extends MemoryPartnersRepository {
  private readonly committed: PartnerChange[] = [];
  readonly gapReads: ChangeIdGap[][] = [];

  commit(id: number, clientId = `client-${id}`): void {
    this.committed.push({ id, clientId });
    this.committed.sort((a, b) => a.id - b.id);
  }

  // Optional parameters: the memory repository's overrides take none (its feed is always empty).
  override changesSince(id = 0, limit = Infinity): Promise<PartnerChange[]> {
    return Promise.resolve(this.committed.filter((row) => row.id > id).slice(0, limit));
  }

  override changesWithin(
    gaps: readonly ChangeIdGap[] = [],
    limit = Infinity,
  ): Promise<PartnerChange[]> {
    this.gapReads.push([...gaps]);
    const inGap = (row: PartnerChange): boolean =>
      gaps.some((gap) => gap.after < row.id && row.id < gap.before);
    return Promise.resolve(this.committed.filter(inGap).slice(0, limit));
  }
}

describe('PartnerChangesWatcher', () => {
  let feed: ScriptedFeed;
  let evicted: string[];
  let watcher: PartnerChangesWatcher;
  let clock: number;

  /** Polls are called by the test (no timer), so only the clock moves. */
  function advance(ms: number): void {
    clock += ms;
  }

  beforeEach(() => {
    clock = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    feed = new ScriptedFeed();
    const cache = new PartnerCache({
      clientCache: { ttlSeconds: 5, maxEntries: 10, keyBy: 'claims' },
    });
    evicted = [];
    jest.spyOn(cache, 'evict').mockImplementation((clientId) => void evicted.push(clientId));
    watcher = new PartnerChangesWatcher(feed, cache);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('evicts a change whose lower id commits after a higher one was read, once', async () => {
    feed.commit(2, 'later');
    await watcher.poll();
    expect(evicted).toEqual(['later']);

    feed.commit(1, 'slow');
    advance(PARTNER_CHANGE_GAP_GRACE_MS - 1_000);
    await watcher.poll();
    expect(evicted).toEqual(['later', 'slow']);

    await watcher.poll();
    expect(evicted).toEqual(['later', 'slow']);
  });

  it('stops looking for a rolled-back id after the grace, and keeps reading new changes', async () => {
    feed.commit(1);
    feed.commit(3);
    await watcher.poll();
    await watcher.poll();
    expect(feed.gapReads.at(-1)).toEqual([expect.objectContaining({ after: 1, before: 3 })]);

    advance(PARTNER_CHANGE_GAP_GRACE_MS);
    await watcher.poll();
    const reads = feed.gapReads.length;
    feed.commit(4);
    await watcher.poll();

    expect(feed.gapReads).toHaveLength(reads);
    expect(evicted).toEqual(['client-1', 'client-3', 'client-4']);
  });

  it('reads a late id below more than a batch of changes, and the changes after them', async () => {
    for (let id = 2; id <= 1_200; id += 1) feed.commit(id);
    await watcher.poll();
    await watcher.poll();
    await watcher.poll();
    expect(evicted).toHaveLength(1_199);

    feed.commit(1, 'slow');
    feed.commit(1_201, 'new');
    await watcher.poll();

    expect(evicted.slice(-2).sort()).toEqual(['new', 'slow']);
    expect(new Set(evicted).size).toBe(1_201);
  });

  it('keeps the gaps on both sides of a late id apart', async () => {
    feed.commit(5);
    await watcher.poll();
    feed.commit(3, 'middle');
    await watcher.poll();
    feed.commit(1, 'first');
    feed.commit(4, 'fourth');
    await watcher.poll();
    await watcher.poll();

    expect(feed.gapReads.at(-1)).toEqual([expect.objectContaining({ after: 1, before: 3 })]);
    expect(evicted).toEqual(['client-5', 'middle', 'first', 'fourth']);
  });
});
