import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { PARTNER, SCOPE } from '../apps/app-spec';

/** The bench's authorization server: the public test kit's issuer, in this process. */
export function startIssuer(): Promise<TestIssuer> {
  // Tokens outlive the longest run; the audience is the API the apps protect.
  return createTestIssuer({ audience: 'https://api.bench', tokenTtlSeconds: 4 * 3600 });
}

/** A token of the sample app's partner with the scope every route of the bench requires. */
export function partnerToken(issuer: TestIssuer): string {
  return issuer.token({ sub: PARTNER.clientId, scopes: [SCOPE] });
}

/**
 * `count` distinct tokens (each has its own `jti`). The kit signs synchronously (about 0.3 ms
 * each), so this yields to the event loop between chunks: the kit's JWKS stays responsive.
 */
export async function partnerTokens(issuer: TestIssuer, count: number): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    for (let i = 0; i < 500 && tokens.length < count; i += 1) tokens.push(partnerToken(issuer));
    await yieldToEventLoop();
  }
  return tokens;
}

/** The issuer's JWKS answered after a delay, counting its fetches. */
export interface SlowJwks {
  readonly uri: string;
  readonly fetches: number;
  close(): Promise<void>;
}

/**
 * Serves the kit issuer's JWKS each time after `delayMs`, the latency of a real issuer that lets
 * concurrent cold requests pile up behind one fetch (the kit answers at once and has no delay).
 */
export async function startSlowJwks(issuer: TestIssuer, delayMs: number): Promise<SlowJwks> {
  let fetches = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(issuer.jwks()));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
