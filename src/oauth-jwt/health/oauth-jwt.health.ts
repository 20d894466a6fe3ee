import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { TrustedIssuers } from '../issuers/trusted-issuers';
import type { KeySetStatus } from '../key-set/key-set';
import type { KeySource } from '../key-set/key-source.interface';

/** What the indicator reports under its key (a type, not an interface: terminus wants a record). */
export type OAuthJwtHealthDetails = {
  /** fresh: keys within their cache age; stale: last good keys served past it; unavailable: no usable key. */
  readonly keySet: KeySetStatus['state'];
  /** True while the last good keys are served past their cache age (the JWKS endpoint fails). */
  readonly stale: boolean;
  readonly keyCount: number;
  /** Milliseconds since the last successful JWKS fetch; null if there was none. */
  readonly ageMs: number | null;
  /**
   * Why the last fetch failed (timeout, network, status, redirect, too_large, not_json, not_jwks,
   * bad_metadata, invalid_jwks), or no_usable_keys when the JWKS fetched holds no key we may use.
   */
  readonly lastFailure?: string;
  /** With several trusted issuers: each one's key set (the fields above are the worst of them). */
  readonly issuers?: readonly ({ readonly issuer: string } & IssuerKeyDetails)[];
};

type IssuerKeyDetails = Omit<OAuthJwtHealthDetails, 'issuers'>;

const RANK: Record<KeySetStatus['state'], number> = { fresh: 0, stale: 1, unavailable: 2 };

/**
 * A @nestjs/terminus indicator of the signing keys (`nest-oauth-jwt/health`): up while they are
 * fresh or served stale (with `stale: true`), down when no usable key is left. When no key is
 * usable it fetches the JWKS first (sharing a fetch in flight, within the key set's timeout and
 * failure backoff), so a readiness probe can bring an idle instance up. With several trusted
 * issuers it is up only while every issuer's keys are, and lists each. It needs only
 * TrustedIssuers (exported by the global OAuthJwtModule) and builds terminus's result itself, so @nestjs/terminus
 * is used for types only here. Provide it beside TerminusModule:
 *
 * ```ts
 * @Get('ready') @Public() @HealthCheck()
 * ready() { return this.health.check([() => this.oauthJwt.isHealthy()]); }
 * ```
 */
@Injectable()
export class OAuthJwtHealthIndicator {
  constructor(private readonly issuers: TrustedIssuers) {}

  async isHealthy<const Key extends string = 'oauth-jwt'>(
    key: Key = 'oauth-jwt' as Key,
  ): Promise<HealthIndicatorResult<Key, 'up' | 'down', OAuthJwtHealthDetails>> {
    const statuses = await Promise.all(this.issuers.all.map(({ keys }) => statusOf(keys)));
    const worst = statuses.reduce((a, b) => (RANK[b.state] > RANK[a.state] ? b : a));
    const details: OAuthJwtHealthDetails =
      statuses.length === 1
        ? detailsOf(worst)
        : {
            ...detailsOf(worst),
            issuers: statuses.map((status, index) => ({
              issuer: this.issuers.all[index]?.settings.issuer ?? '',
              ...detailsOf(status),
            })),
          };
    const result = { status: worst.state === 'unavailable' ? 'down' : 'up', ...details };
    // What HealthIndicatorService.check(key).up(details) / .down(details) builds.
    return { [key]: result } as HealthIndicatorResult<Key, 'up' | 'down', OAuthJwtHealthDetails>;
  }
}

async function statusOf(keys: KeySource): Promise<KeySetStatus> {
  const status = keys.status();
  if (status.state !== 'unavailable') return status;
  await keys.warmUp().catch(() => undefined);
  return keys.status();
}

function detailsOf(status: KeySetStatus): IssuerKeyDetails {
  return {
    keySet: status.state,
    stale: status.state === 'stale',
    keyCount: status.keyCount,
    ageMs: status.ageMs ?? null,
    ...(status.lastFailure === undefined ? {} : { lastFailure: status.lastFailure }),
  };
}
