import type { Response } from 'supertest';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import {
  startTestAuthorizationServer,
  TEST_CLIENTS,
  type TestClients,
} from './authorization-server';
import { E2E_TIMEOUT_MS } from './test-app';

/** The file's authorization server and a `list:users` token for each partner asked for. */
export interface PartnerSuite<Name extends keyof TestClients> {
  issuer(): DevIssuer;
  readonly tokens: Readonly<Record<Name, string>>;
}

/**
 * Sets the file's e2e time limit and starts the real authorization server for the whole file
 * (`beforeAll`/`afterAll` at the level it is called), getting a token for each of `partners`.
 */
export function usePartnerSuite<Name extends keyof TestClients>(
  partners: readonly Name[],
): PartnerSuite<Name> {
  jest.setTimeout(E2E_TIMEOUT_MS);
  let issuer: DevIssuer | undefined;
  const tokens = {} as Record<Name, string>;
  beforeAll(async () => {
    issuer = await startTestAuthorizationServer();
    for (const name of partners) {
      const { clientId, clientSecret } = TEST_CLIENTS[name];
      tokens[name] = await issuer.getToken(clientId, clientSecret, ['list:users']);
    }
  });
  afterAll(async () => {
    await issuer?.stop();
  });
  return {
    issuer: () => {
      if (!issuer) throw new Error('the authorization server is not running');
      return issuer;
    },
    tokens,
  };
}

/** A 429 of `policy` (quota `limit` a minute): Retry-After within the window, RateLimit r=0. */
export function expectRateLimited(response: Response, policy: string, limit: number): void {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-policy']).toBe(`"${policy}";q=${limit};w=60`);
  expect(response.headers['ratelimit']).toBe(`"${policy}";r=0;t=${retryAfter}`);
}
