import request from 'supertest';
import {
  asPartner,
  createTestIssuer,
  withBearer,
  type HostileTokens,
  type TestIssuer,
} from '../../src/oauth-jwt/testing';
import { dxConfig, startDxApp, type DxApp } from './support/dx-app';

/** The refusal each hostile token gets, written out in full (not read from src/). */
const HOSTILE: readonly [keyof HostileTokens, string][] = [
  ['expired', 'The access token expired'],
  ['notYetValid', 'The access token is not valid yet'],
  ['wrongAudience', 'The access token is meant for another audience'],
  ['wrongIssuer', 'The access token was issued by another issuer'],
  ['unknownKid', 'The access token is signed with an unknown key'],
  ['badSignature', 'The access token signature is invalid'],
  ['algNone', 'The access token is malformed'],
  ['algConfusion', 'The access token is signed with an algorithm that is not allowed'],
];

describe('test kit (nest-oauth-jwt/testing) against the sample app', () => {
  let issuer: TestIssuer;
  let api: DxApp;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    api = await startDxApp(dxConfig(issuer), { docs: false });
  });

  afterAll(async () => {
    await api.close();
    await issuer.close();
  });

  it('a token of createTestIssuer() passes the real guards: partner-a lists its users', async () => {
    const response = await request(api.url)
      .get('/users')
      .set('Authorization', `Bearer ${issuer.token({ sub: 'partner-a', scopes: ['list:users'] })}`);
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: [] });
  });

  it('asPartner() makes every request of a supertest agent carry the partner token', async () => {
    const partnerA = asPartner(request.agent(api.url), issuer, 'partner-a', [
      'create:users',
      'read:users',
      'list:users',
    ]);
    const created = await partnerA
      .post('/users')
      .send({ name: 'Grace Hopper', email: 'grace@acme.example' })
      .expect(201);
    await partnerA.get(`/users/${String(created.body.id)}`).expect(200, created.body);
    await partnerA.get('/users').expect(200, [created.body]);
    await partnerA.get('/partners/me').expect(200, { clientId: 'partner-a', name: 'Acme Corp' });
  });

  it('asPartner() on a single request, and the scopes it grants are the only ones', async () => {
    const response = await asPartner(request(api.url).delete('/users/x'), issuer, 'partner-a', [
      'list:users',
    ]);
    expect({
      status: response.status,
      challenge: response.headers['www-authenticate'],
    }).toEqual({
      status: 403,
      challenge:
        'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The access token lacks a required scope", scope="delete:users"',
    });
  });

  it.each(HOSTILE)(
    'hostile.%s() is refused with 401 invalid_token "%s"',
    async (name, description) => {
      const token = issuer.hostile[name]({ sub: 'partner-a', scopes: ['list:users'] });
      const response = await withBearer(request(api.url).get('/users'), token);
      expect({
        status: response.status,
        challenge: response.headers['www-authenticate'],
        body: response.body,
      }).toEqual({
        status: 401,
        challenge: `Bearer realm="api", error="invalid_token", error_description="${description}"`,
        body: { statusCode: 401, error: 'Unauthorized', message: description },
      });
    },
  );

  it('every hostile token differs from a valid one in one way only: the same options pass', async () => {
    await asPartner(request.agent(api.url), issuer, 'partner-a', ['list:users'])
      .get('/users')
      .expect(200);
  });

  it('its token endpoint (client credentials) issues tokens the app accepts', async () => {
    const issued = await request(issuer.url)
      .post('/token')
      .auth('partner-b', 'any-secret')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'list:users' })
      .expect(200);
    expect(issued.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'list:users',
    });
    await withBearer(request(api.url).get('/users'), issued.body.access_token).expect(200, []);
  });
});

describe('test kit: the module discovers the test issuer (no jwksUri)', () => {
  it('finds the JWKS through the issuer metadata and accepts its tokens', async () => {
    const issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    const api = await startDxApp(dxConfig(issuer, { jwksUri: undefined }), { docs: false });
    try {
      await asPartner(request.agent(api.url), issuer, 'partner-b', ['list:users'])
        .get('/users')
        .expect(200, []);
      expect(issuer.jwksRequestCount).toBe(1);
    } finally {
      await api.close();
      await issuer.close();
    }
  });
});
