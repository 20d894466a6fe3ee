import type { TokenCacheOptions } from '../../src/oauth-jwt';
import type { HttpAdapterName } from '../../src/http-adapter';
import type { SampleVariant } from './sample-variants';

/**
 * The servers the bench runs, each alone in its process:
 * - `node-http`: bare node:http hello world, the calibration case;
 * - `sample`: the sample partner users API, built as src/main.ts builds it;
 * - `nest-bare`, `ours`, `passport-jwt`, `floor`: one Nest route `GET /guarded` with no guard, our
 *   module, the hand-written passport-jwt guard, and the signature-only floor guard.
 */
export type AppKind = 'node-http' | 'sample' | 'nest-bare' | 'ours' | 'passport-jwt' | 'floor';

/** What an app child serves (JSON on its command line). */
export interface AppSpec {
  readonly kind: AppKind;
  readonly adapter: HttpAdapterName;
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** `sample`: one step of its JwtAuthGuard changed (bench/apps/sample-variants). */
  readonly variant?: SampleVariant;
  /** `ours` and `sample`: the verified-token cache settings. */
  readonly tokenCache?: TokenCacheOptions;
}

/** The one partner of the sample app; every bench token is its. */
export const PARTNER = { clientId: 'partner-a', name: 'Partner A' } as const;
/** The scope every bench token carries and the minimal apps' route requires. */
export const SCOPE = 'list:users';

/** What an app reports about its memory (`gc`: after a full garbage collection). */
export interface AppStats {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** `sample` only: tokens in the verified-token cache. */
  readonly cachedTokens: number | undefined;
}

export type AppRpc = { stats: { arg: { gc: boolean }; result: AppStats } };
