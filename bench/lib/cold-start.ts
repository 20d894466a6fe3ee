import type { AppProcess } from './app-process';
import type { JwksServer } from './jwks-server';
import type { LoadGenerator } from './load-generator';
import type { AppDef } from './scenarios';

export interface ColdStartResult {
  readonly app: AppDef;
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly jwksFetches: number;
  readonly wallMs: number;
}

/**
 * An app that has served nothing yet (so its key set was never fetched) gets `count` guarded
 * requests at once; the JWKS server, slowed by `jwksDelayMs`, counts the fetches they caused.
 */
export async function measureColdStart(
  app: AppProcess,
  count: number,
  jwks: JwksServer,
  load: LoadGenerator,
): Promise<ColdStartResult> {
  const before = jwks.fetchCount(app.jwksName);
  const burst = await load.burst({ url: `${app.origin}/guarded`, count, timeoutMs: 30_000 });
  return {
    app: app.def,
    requests: count,
    statuses: burst.statuses,
    jwksFetches: jwks.fetchCount(app.jwksName) - before,
    wallMs: burst.wallMs,
  };
}
