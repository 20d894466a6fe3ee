import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { KeySet, type KeySetStatus } from '../key-set/key-set';

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
};

/**
 * A @nestjs/terminus indicator of the signing keys (`nest-oauth-jwt/health`): up while they are
 * fresh or served stale (with `stale: true`), down when no usable key is left. When no key is
 * usable it fetches the JWKS first (sharing a fetch in flight, within the key set's timeout and
 * failure backoff), so a readiness probe can bring an idle instance up. It needs only KeySet
 * (exported by the global OAuthJwtModule) and builds terminus's result itself, so @nestjs/terminus
 * is used for types only here. Provide it beside TerminusModule:
 *
 * ```ts
 * @Get('ready') @Public() @HealthCheck()
 * ready() { return this.health.check([() => this.oauthJwt.isHealthy()]); }
 * ```
 */
@Injectable()
export class OAuthJwtHealthIndicator {
  constructor(private readonly keySet: KeySet) {}

  async isHealthy<const Key extends string = 'oauth-jwt'>(
    key: Key = 'oauth-jwt' as Key,
  ): Promise<HealthIndicatorResult<Key, 'up' | 'down', OAuthJwtHealthDetails>> {
    let status = this.keySet.status();
    if (status.state === 'unavailable') {
      await this.keySet.warmUp().catch(() => undefined);
      status = this.keySet.status();
    }
    const result = { status: status.state === 'unavailable' ? 'down' : 'up', ...detailsOf(status) };
    // What HealthIndicatorService.check(key).up(details) / .down(details) builds.
    return { [key]: result } as HealthIndicatorResult<Key, 'up' | 'down', OAuthJwtHealthDetails>;
  }
}

function detailsOf(status: KeySetStatus): OAuthJwtHealthDetails {
  return {
    keySet: status.state,
    stale: status.state === 'stale',
    keyCount: status.keyCount,
    ageMs: status.ageMs ?? null,
    ...(status.lastFailure === undefined ? {} : { lastFailure: status.lastFailure }),
  };
}
