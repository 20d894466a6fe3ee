import type { ProviderProfile } from '../../src/oauth-jwt';
import { createTestIssuer, type JsonObject, type TestIssuer } from '../../src/oauth-jwt/testing';
import { startIssuersApp, type IssuersApp } from './support/issuers-app';

/**
 * Each profile against tokens shaped exactly like the provider's documented client-credentials
 * access tokens (header and claims; see src/oauth-jwt/token/provider-profiles.ts for the sources),
 * and a user token of the same provider, which is refused.
 */
interface ProfileCase {
  readonly profile: ProviderProfile;
  /** The provider's issuer identifier form (the test kit serves its keys on 127.0.0.1). */
  readonly issuer: string;
  readonly audience: string;
  readonly clientToken: { header: JsonObject; claims: JsonObject };
  readonly userToken: { header: JsonObject; claims: JsonObject };
  readonly clientId: string;
  readonly scopes: readonly string[];
}

const NOT_CLIENT = {
  status: 401,
  message: 'The access token was not issued to a client for itself',
};
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ENTRA_API = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_CLIENT = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';

const CASES: readonly ProfileCase[] = [
  {
    profile: 'auth0',
    issuer: 'https://tenant.auth0.test/',
    audience: 'https://partner-api.test',
    clientToken: {
      header: { alg: 'RS256', typ: 'JWT' },
      claims: {
        sub: 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx@clients',
        azp: 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx',
        gty: 'client-credentials',
        scope: 'list:users read:users',
        client_id: undefined,
        jti: undefined,
      },
    },
    userToken: {
      header: { alg: 'RS256', typ: 'JWT' },
      claims: {
        sub: 'auth0|6553da60a54af58e29493993',
        azp: 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx',
        scope: 'openid list:users',
        client_id: undefined,
      },
    },
    clientId: 'awZfdIir8YFdGZWkvCejDoUb7SjTDicx',
    scopes: ['list:users', 'read:users'],
  },
  {
    profile: 'okta',
    issuer: 'https://partner.okta.test/oauth2/default',
    audience: 'api://partner',
    clientToken: {
      header: { typ: undefined },
      claims: {
        ver: 1,
        jti: 'AT.MNAoEQ_jbKqoinrQo1D0XKjMX28U5d7ZszBceot7-Ts',
        sub: '0oa2yrbf35Vcbom491t7',
        cid: '0oa2yrbf35Vcbom491t7',
        scp: ['list:users'],
        client_id: undefined,
      },
    },
    userToken: {
      header: { typ: undefined },
      claims: {
        ver: 1,
        sub: 'alice@partner.example',
        cid: '0oa2yrbf35Vcbom491t7',
        uid: '00u2yulup4eWbOttd1t7',
        scp: ['list:users'],
        client_id: undefined,
      },
    },
    clientId: '0oa2yrbf35Vcbom491t7',
    scopes: ['list:users'],
  },
  {
    profile: 'entra',
    issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    audience: ENTRA_API,
    clientToken: {
      header: { typ: 'JWT', x5t: 'nOo3ZDrODXEK1jKWhXslHR_KXEg' },
      claims: {
        aio: 'E2ZgYPjQ',
        azp: ENTRA_CLIENT,
        azpacr: '1',
        idtyp: 'app',
        oid: 'a9e5b1c0-0d4e-4b8f-9a39-2b7c6d2f1e10',
        sub: 'a9e5b1c0-0d4e-4b8f-9a39-2b7c6d2f1e10',
        roles: ['list:users'],
        tid: TENANT,
        ver: '2.0',
        client_id: undefined,
        jti: undefined,
        uti: 'AbCdEf',
      },
    },
    userToken: {
      header: { typ: 'JWT' },
      claims: {
        azp: ENTRA_CLIENT,
        azpacr: '1',
        oid: '00000000-0000-0000-66f3-3332eca7ea81',
        sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
        scp: 'list:users',
        roles: ['list:users'],
        tid: TENANT,
        ver: '2.0',
        client_id: undefined,
      },
    },
    clientId: ENTRA_CLIENT,
    scopes: ['list:users'],
  },
  {
    profile: 'entra',
    issuer: `https://sts.windows.net/${TENANT}/`,
    audience: 'api://partner-api',
    clientToken: {
      header: { typ: 'JWT', x5t: 'nOo3ZDrODXEK1jKWhXslHR_KXEg' },
      claims: {
        appid: ENTRA_CLIENT,
        appidacr: '1',
        idp: `https://sts.windows.net/${TENANT}/`,
        oid: 'a9e5b1c0-0d4e-4b8f-9a39-2b7c6d2f1e10',
        sub: 'a9e5b1c0-0d4e-4b8f-9a39-2b7c6d2f1e10',
        roles: ['list:users', 'read:users'],
        tid: TENANT,
        ver: '1.0',
        client_id: undefined,
        jti: undefined,
      },
    },
    userToken: {
      header: { typ: 'JWT' },
      claims: {
        appid: ENTRA_CLIENT,
        appidacr: '1',
        name: 'Alice',
        oid: '00000000-0000-0000-66f3-3332eca7ea81',
        sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
        scp: 'list:users',
        upn: 'alice@partner.example',
        ver: '1.0',
        client_id: undefined,
      },
    },
    clientId: ENTRA_CLIENT,
    scopes: ['list:users', 'read:users'],
  },
  {
    profile: 'keycloak',
    issuer: 'https://sso.partner.test/realms/partners',
    audience: 'partner-api',
    clientToken: {
      header: { typ: 'JWT' },
      claims: {
        sub: 'd952cf23-bf92-4c8f-a3ff-4972b4f2bc5b',
        typ: 'Bearer',
        azp: 'orders-job',
        acr: '1',
        scope: 'list:users profile email',
        preferred_username: 'service-account-orders-job',
        client_id: 'orders-job',
        clientHost: '10.0.0.7',
        clientAddress: '10.0.0.7',
      },
    },
    userToken: {
      header: { typ: 'JWT' },
      claims: {
        sub: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        typ: 'Bearer',
        azp: 'orders-job',
        scope: 'list:users profile email',
        preferred_username: 'alice',
        client_id: undefined,
      },
    },
    clientId: 'orders-job',
    scopes: ['list:users', 'profile', 'email'],
  },
  {
    profile: 'cognito',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
    audience: 'https://partner-api.test',
    clientToken: {
      header: { typ: undefined },
      claims: {
        sub: '1example23456789',
        client_id: '1example23456789',
        token_use: 'access',
        scope: 'https://partner-api.test/list:users https://other-api.test/list:users',
        auth_time: Math.floor(Date.now() / 1000),
        version: 2,
        aud: undefined,
      },
    },
    userToken: {
      header: { typ: undefined },
      claims: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
        client_id: '1example23456789',
        username: 'alice',
        token_use: 'access',
        scope: 'https://partner-api.test/list:users',
        aud: undefined,
      },
    },
    clientId: '1example23456789',
    scopes: ['list:users'],
  },
];

describe.each(CASES)('profile $profile ($issuer)', (profileCase) => {
  let issuer: TestIssuer;
  let api: IssuersApp;

  beforeAll(async () => {
    issuer = await createTestIssuer({ issuer: profileCase.issuer, audience: profileCase.audience });
    api = await startIssuersApp(issuer.moduleOptions({ profile: profileCase.profile }));
  });

  afterAll(async () => {
    await api.close();
    await issuer.close();
  });

  it("admits the provider's client-credentials token with the profile's client id and scopes", async () => {
    const response = await api.get(issuer.token(profileCase.clientToken));
    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 200,
      body: { clientId: profileCase.clientId, scopes: profileCase.scopes },
    });
  });

  it("refuses the provider's user token with 401 not_client_token", async () => {
    const response = await api.get(issuer.token(profileCase.userToken));
    expect({
      status: response.status,
      message: (response.body as { message: string }).message,
    }).toEqual(NOT_CLIENT);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${NOT_CLIENT.message}"`,
    );
  });
});

describe('profile-specific refusals', () => {
  let cognito: TestIssuer;
  let api: IssuersApp;
  const cognitoCase = CASES.find((c) => c.profile === 'cognito') as ProfileCase;

  beforeAll(async () => {
    cognito = await createTestIssuer({
      issuer: cognitoCase.issuer,
      audience: cognitoCase.audience,
    });
    api = await startIssuersApp(cognito.moduleOptions({ profile: 'cognito' }));
  });

  afterAll(async () => {
    await api.close();
    await cognito.close();
  });

  const message = async (claims: JsonObject): Promise<[number, string]> => {
    const response = await api.get(
      cognito.token({
        header: { typ: undefined },
        claims: { ...cognitoCase.clientToken.claims, ...claims },
      }),
    );
    return [response.status, (response.body as { message: string }).message];
  };

  it('cognito: refuses an ID token (token_use id) as not an access token', async () => {
    expect(await message({ token_use: 'id' })).toEqual([401, 'The token is not an access token']);
  });

  it("cognito: refuses a token whose scopes are all another resource server's as another audience", async () => {
    expect(await message({ scope: 'https://other-api.test/list:users' })).toEqual([
      401,
      'The access token is meant for another audience',
    ]);
  });

  it('cognito: a scope of ours without its resource-server prefix grants nothing', async () => {
    expect(await message({ scope: 'https://partner-api.test/read:users list:users' })).toEqual([
      403,
      'The access token lacks a required scope',
    ]);
  });
});

describe('generic profile (RFC 9068) and the clientCredentialsOnly switch', () => {
  let issuer: TestIssuer;
  let strict: IssuersApp;
  let lenient: IssuersApp;
  /** node-oidc-provider's shape of a user token: sub is the user, client_id the client. */
  const userToken = (): string =>
    issuer.token({ sub: 'alice', claims: { client_id: 'partner-a' }, scopes: ['list:users'] });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    strict = await startIssuersApp(issuer.moduleOptions());
    lenient = await startIssuersApp(issuer.moduleOptions({ clientCredentialsOnly: false }));
  });

  afterAll(async () => {
    await strict.close();
    await lenient.close();
    await issuer.close();
  });

  it('refuses a token whose client_id is not its sub with 401 not_client_token', async () => {
    const response = await strict.get(userToken());
    expect([response.status, (response.body as { message: string }).message]).toEqual([
      401,
      NOT_CLIENT.message,
    ]);
  });

  it('refuses a token whose azp is another client with 401 not_client_token', async () => {
    const token = issuer.token({
      sub: 'partner-a',
      claims: { azp: 'partner-b' },
      scopes: ['list:users'],
    });
    expect((await strict.get(token)).status).toBe(401);
  });

  it('keeps "<id>@clients" whole under generic (the suffix is Auth0\'s)', async () => {
    const response = await strict.get(issuer.token({ sub: 'abc@clients', scopes: ['list:users'] }));
    expect(response.body).toEqual({ clientId: 'abc@clients', scopes: ['list:users'] });
  });

  it('admits the user token with clientCredentialsOnly: false', async () => {
    const response = await lenient.get(userToken());
    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 200,
      body: { clientId: 'alice', scopes: ['list:users'] },
    });
  });
});
