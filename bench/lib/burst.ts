import type { HttpAdapterName } from '../../src/http-adapter';
import type { TestIssuer } from '../../src/oauth-jwt/testing';
import { startApp } from './app-process';
import { sampleCases } from './cases';
import { startSlowJwks } from './issuer';
import type { LoadGenerator } from './load';
import type { Settings } from './settings';

export interface BurstOutcome {
  readonly adapter: HttpAdapterName;
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly jwksFetches: number;
  readonly wallMs: number;
}

/**
 * A fresh sample app (no key fetched yet) gets `burstRequests` guarded requests at once while its
 * JWKS takes `jwksDelayMs` to answer: how many JWKS fetches do they cause?
 */
export async function measureBurst(
  adapter: HttpAdapterName,
  issuer: TestIssuer,
  load: LoadGenerator,
  settings: Settings,
  token: string,
  core: number | undefined,
): Promise<BurstOutcome> {
  const jwks = await startSlowJwks(issuer, settings.jwksDelayMs);
  const [, guarded] = sampleCases(adapter);
  const app = await startApp(guarded.app, issuer, core, { jwksUri: jwks.uri });
  try {
    const url = `${app.origin}${guarded.path}`;
    const burst = await load.burst({ url, count: settings.burstRequests, token });
    return { adapter, requests: settings.burstRequests, ...burst, jwksFetches: jwks.fetches };
  } finally {
    await app.stop();
    await jwks.close();
  }
}
