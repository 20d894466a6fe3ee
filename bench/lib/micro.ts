import type { JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import type { TestIssuer } from '../../src/oauth-jwt/testing';
import type { AppSpec } from '../apps/app-spec';
import { Child } from './child';
import type { Settings } from './settings';

/**
 * The paths the micro-benchmark times, each as Nest's router runs a route's guards
 * (GuardsConsumer.tryActivate over a fresh request): the sample app's global guard chain on
 * `GET /users` (token and partner cached, scope checked), the same with the token cache off, the
 * signature-only floor guard, passport-jwt's verifier alone (jsonwebtoken, what runs under our
 * strategy on a miss), and one guard that returns true (Nest's own share).
 */
export const MICRO_PATHS = ['warm', 'cold', 'floor', 'verifier', 'noop'] as const;
export type MicroPath = (typeof MICRO_PATHS)[number];

export interface MicroJob {
  /** The sample app to build (the worker sets its token cache). */
  readonly spec: AppSpec;
  readonly token: string;
  /** The issuer's signing key, for the floor guard. */
  readonly jwk: JsonWebKey;
  readonly batches: number;
  readonly batchMs: number;
}

/** µs per request of each path, one figure per batch (the batches interleave the paths). */
export type MicroResult = Record<MicroPath, number[]> & {
  /** The cold path's sampled time by part (bench/micro/profile-shares), shares from 0 to 1. */
  readonly coldShares: Record<string, number>;
};

export type MicroRpc = { run: { arg: MicroJob; result: MicroResult } };

/** Runs the micro-benchmark (bench/micro/micro-worker) in its own process on `core`. */
export async function runMicro(
  issuer: TestIssuer,
  token: string,
  settings: Settings,
  core: number | undefined,
): Promise<MicroResult> {
  const script = join(__dirname, '..', 'micro', 'micro-worker.js');
  const { child } = await Child.start<MicroRpc>('micro', [script], core);
  const spec: AppSpec = {
    kind: 'sample',
    adapter: 'express',
    issuer: issuer.issuer,
    audience: String(issuer.audience),
    jwksUri: issuer.jwksUri,
  };
  const jwk = { ...issuer.jwks().keys[0] };
  const { microBatches: batches, microBatchMs: batchMs } = settings;
  const job = { spec, token, jwk, batches, batchMs };
  try {
    return await child.call('run', job, 600_000);
  } finally {
    await child.stop();
  }
}
