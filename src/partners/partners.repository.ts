import type { PartnerRecord, PartnerSeed, PartnerStatus } from './partner.interface';

/** Raised by `create` when the client id is already a partner. */
export class PartnerExistsError extends Error {
  constructor(clientId: string) {
    super(`partner ${clientId} already exists`);
    this.name = 'PartnerExistsError';
  }
}

/**
 * How long a change stays in the feed: older ones are deleted whenever a change is written. An
 * instance that is up reads each change within about a second; one that could not read for longer
 * has meanwhile let every cached partner expire (the cache's 5 s TTL), so it needs none of them.
 */
export const PARTNER_CHANGE_RETENTION_SECONDS = 3_600;

/** A change to a partner, for the instances that cache it (see PartnerChangesWatcher). */
export interface PartnerChange {
  readonly id: number;
  readonly clientId: string;
}

/** Change ids skipped in the feed so far: after < id < before (see PartnerChangesWatcher). */
export interface ChangeIdGap {
  readonly after: number;
  readonly before: number;
}

/**
 * The partner registry's queries, one place. Every change is also recorded as a PartnerChange so
 * that every app instance evicts that partner from its cache. SqlPartnersRepository is the one
 * the app and the CLI use; MemoryPartnersRepository serves apps built without a database (the
 * library's test suites, which use the sample only as an HTTP fixture).
 */
export abstract class PartnersRepository {
  abstract find(clientId: string): Promise<PartnerRecord | undefined>;
  abstract list(): Promise<PartnerRecord[]>;
  /** Inserts the partners that are missing, updates the others (name; scopes, status and rate limit when given). */
  abstract seed(partners: readonly PartnerSeed[]): Promise<void>;
  /** @throws PartnerExistsError */
  abstract create(record: PartnerRecord): Promise<void>;
  /** False when there is no such partner. */
  setStatus(clientId: string, status: PartnerStatus): Promise<boolean> {
    return this.update(clientId, { status });
  }
  /** False when there is no such partner. */
  setScopes(clientId: string, scopes: readonly string[]): Promise<boolean> {
    return this.update(clientId, { scopes: [...scopes] });
  }
  /** False when there is no such partner; null: back to the default (PARTNER_RATE_LIMIT). */
  setRateLimit(clientId: string, perMinute: number | null): Promise<boolean> {
    return this.update(clientId, { rateLimitPerMinute: perMinute });
  }
  /** The removed partner (its users go with it), undefined when there was none. */
  abstract delete(clientId: string): Promise<PartnerRecord | undefined>;
  /** The id of the latest change (0 when none): where a watcher starts. */
  abstract latestChange(): Promise<number>;
  /** The changes after `id`, oldest first, at most `limit`. */
  abstract changesSince(id: number, limit: number): Promise<PartnerChange[]>;
  /** The changes whose id falls in one of the gaps, oldest first, at most `limit`. */
  abstract changesWithin(gaps: readonly ChangeIdGap[], limit: number): Promise<PartnerChange[]>;
  /** Changes one partner's entitlements and records the change; false when there is none. */
  protected abstract update(clientId: string, change: PartnerUpdate): Promise<boolean>;
}

/** What the setters change: a partner's entitlements. */
export type PartnerUpdate = Partial<
  Pick<PartnerRecord, 'status' | 'scopes' | 'rateLimitPerMinute'>
>;
