import type { PartnerEntitlements } from '../oauth-jwt';

/** The partner statuses: a suspended partner's every request is refused (403 partner_suspended). */
export const PARTNER_STATUSES = ['active', 'suspended'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/**
 * A partner of the API, as the module's client resolver returns it: an OAuth client allowed to
 * call it, with its live entitlements (granted scopes absent: the token's scopes as they are).
 */
export interface Partner extends PartnerEntitlements {
  readonly clientId: string;
  readonly name: string;
  /** Its own request quota (requests a minute); absent: PARTNER_RATE_LIMIT. */
  readonly rateLimitPerMinute?: number;
}

/** A partner as the registry stores it. */
export interface PartnerRecord {
  readonly clientId: string;
  readonly name: string;
  readonly status: PartnerStatus;
  /** null: no restriction beyond the token's scopes (partners seeded without `scopes`). */
  readonly scopes: readonly string[] | null;
  /** Its own requests a minute; null: the default, PARTNER_RATE_LIMIT. */
  readonly rateLimitPerMinute: number | null;
  /** RFC 7592: where and with what token the client is managed at the authorization server. */
  readonly registrationClientUri: string | null;
  readonly registrationAccessToken: string | null;
}

/**
 * A partner from PARTNERS_FILE: `scopes`, `status` and `rateLimitPerMinute` only change the
 * record when given.
 */
export interface PartnerSeed {
  readonly clientId: string;
  readonly name: string;
  readonly scopes?: readonly string[];
  readonly status?: PartnerStatus;
  readonly rateLimitPerMinute?: number;
}

/** What the module enforces for a stored partner. */
export function toPartner(record: PartnerRecord): Partner {
  return {
    clientId: record.clientId,
    name: record.name,
    status: record.status,
    ...(record.scopes ? { grantedScopes: record.scopes } : {}),
    ...(record.rateLimitPerMinute !== null
      ? { rateLimitPerMinute: record.rateLimitPerMinute }
      : {}),
  };
}
