import { DevIssuer, DevIssuerClient, DevIssuerOptions } from '../../src/dev-issuer/dev-issuer';

/**
 * A real OAuth 2.0 authorization server (oidc-provider in a child process) for
 * the e2e suites. Every start gets a fresh port and fresh RSA signing key.
 */

export const TEST_AUDIENCE = 'https://partner-api.test';
export const TEST_SCOPES = ['list:users', 'read:users', 'create:users', 'delete:users'];

export interface TestClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface TestClients {
  partnerA: TestClient;
  partnerB: TestClient;
  stranger: TestClient;
  readOnly: TestClient;
  scpClient: TestClient;
  permissionsClient: TestClient;
  auth0Style: TestClient;
}

export const TEST_CLIENTS: Readonly<TestClients> = {
  /** Full access. */
  partnerA: {
    clientId: 'partner-a',
    clientSecret: 'test-secret-partner-a',
    scopes: ['list:users', 'read:users', 'create:users', 'delete:users'],
  },
  /** Read-style access only. */
  partnerB: {
    clientId: 'partner-b',
    clientSecret: 'test-secret-partner-b',
    scopes: ['list:users', 'read:users'],
  },
  /** Registered at the issuer, so it gets valid tokens, but never listed in the partners file. */
  stranger: {
    clientId: 'stranger',
    clientSecret: 'test-secret-stranger',
    scopes: ['list:users', 'read:users'],
  },
  /** Only list:users. */
  readOnly: {
    clientId: 'read-only',
    clientSecret: 'test-secret-read-only',
    scopes: ['list:users'],
  },
  /** Request no scopes: the token has no `scope` claim and carries `scp` (Azure AD style) instead. */
  scpClient: {
    clientId: 'scp-client',
    clientSecret: 'test-secret-scp-client',
    scopes: ['list:users', 'read:users'],
  },
  /** Request no scopes: the token has no `scope` claim and carries `permissions` (Auth0 style) instead. */
  permissionsClient: {
    clientId: 'permissions-client',
    clientSecret: 'test-secret-permissions-client',
    scopes: ['list:users'],
  },
  /** Auth0 names machine-to-machine clients `<id>@clients`; oidc-provider accepts the `@`. */
  auth0Style: {
    clientId: 'partner-c@clients',
    clientSecret: 'test-secret-partner-c',
    scopes: ['list:users', 'read:users'],
  },
};

/** Claims the issuer adds to specific clients' access tokens, keyed by client id. */
export const TEST_EXTRA_CLAIMS: Readonly<Record<string, Record<string, unknown>>> = {
  [TEST_CLIENTS.scpClient.clientId]: { scp: ['list:users', 'read:users'] },
  [TEST_CLIENTS.permissionsClient.clientId]: { permissions: ['list:users'] },
};

function issuerClients(): DevIssuerClient[] {
  return Object.values(TEST_CLIENTS).map((client) => {
    const extraClaims = TEST_EXTRA_CLAIMS[client.clientId];
    return {
      ...client,
      scopes: [...client.scopes],
      ...(extraClaims && { extraClaims }),
    };
  });
}

/** Starts the test authorization server; call `stop()` on the result in `afterAll`. */
export async function startTestAuthorizationServer(
  overrides: Partial<DevIssuerOptions> = {},
): Promise<DevIssuer> {
  return DevIssuer.start({
    audience: TEST_AUDIENCE,
    scopes: [...TEST_SCOPES],
    clients: issuerClients(),
    accessTokenTtlSeconds: 300,
    ...overrides,
  });
}
