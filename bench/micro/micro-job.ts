/** What the parent asks the in-process micro-benchmark for. */
export interface MicroJob {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUriCached: string;
  readonly jwksUriUncached: string;
  readonly scope: string;
  readonly token: string;
  /** Each measurement is the median of this many batches… */
  readonly batches: number;
  /** …each running for about this long. */
  readonly batchMs: number;
}

/** The rows the targets compare (cache off: our guard chain's cost against the floor guard's). */
export const OUR_CHAIN_CACHE_OFF = 'JwtAuthGuard + ScopesGuard + ClaimsGuard, cache off';
export const FLOOR_GUARD = 'SignatureOnlyGuard.canActivate (the floor)';

export interface MicroRow {
  readonly label: string;
  readonly microsPerCall: number;
}

export type MicroRpc = { run: { arg: MicroJob; result: MicroRow[] } };
