import type { PartnerRecord, PartnerSeed } from './partner.interface';
import {
  PartnerExistsError,
  PartnersRepository,
  type PartnerChange,
  type PartnerUpdate,
} from './partners.repository';

/**
 * The partner registry in memory, for apps built without a database (the library's own test
 * suites use the sample as an HTTP fixture and run without PGlite's ESM). Never chosen from the
 * environment: loadAppConfig always names a database.
 */
export class MemoryPartnersRepository extends PartnersRepository {
  private readonly records = new Map<string, PartnerRecord>();

  override find(clientId: string): Promise<PartnerRecord | undefined> {
    return Promise.resolve(this.records.get(clientId));
  }

  override list(): Promise<PartnerRecord[]> {
    const sorted = [...this.records.values()].sort((a, b) => a.clientId.localeCompare(b.clientId));
    return Promise.resolve(sorted);
  }

  override seed(seeds: readonly PartnerSeed[]): Promise<void> {
    for (const seed of seeds) {
      const existing = this.records.get(seed.clientId);
      this.records.set(seed.clientId, {
        clientId: seed.clientId,
        name: seed.name,
        status: seed.status ?? existing?.status ?? 'active',
        scopes: seed.scopes ?? existing?.scopes ?? null,
        rateLimitPerMinute: seed.rateLimitPerMinute ?? existing?.rateLimitPerMinute ?? null,
        registrationClientUri: existing?.registrationClientUri ?? null,
        registrationAccessToken: existing?.registrationAccessToken ?? null,
      });
    }
    return Promise.resolve();
  }

  override create(record: PartnerRecord): Promise<void> {
    if (this.records.has(record.clientId)) {
      return Promise.reject(new PartnerExistsError(record.clientId));
    }
    this.records.set(record.clientId, record);
    return Promise.resolve();
  }

  override delete(clientId: string): Promise<PartnerRecord | undefined> {
    const record = this.records.get(clientId);
    this.records.delete(clientId);
    return Promise.resolve(record);
  }

  override latestChange(): Promise<number> {
    return Promise.resolve(0);
  }

  override changesSince(): Promise<PartnerChange[]> {
    return Promise.resolve([]);
  }

  override changesWithin(): Promise<PartnerChange[]> {
    return Promise.resolve([]);
  }

  protected override update(clientId: string, change: PartnerUpdate): Promise<boolean> {
    const record = this.records.get(clientId);
    if (record) this.records.set(clientId, { ...record, ...change });
    return Promise.resolve(record !== undefined);
  }
}
