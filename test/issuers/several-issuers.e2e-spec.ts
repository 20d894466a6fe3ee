import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { freshClaims, hs256Token, startIssuersApp, type IssuersApp } from './support/issuers-app';

const SHARED_KID = 'colliding-kid';
const message = (body: unknown): string => (body as { message: string }).message;

/** Two trusted issuers with the same `kid`, each its own audience; a third one is not trusted. */
describe('several trusted issuers', () => {
  let a: TestIssuer;
  let b: TestIssuer;
  let stranger: TestIssuer;
  let api: IssuersApp;

  beforeAll(async () => {
    a = await createTestIssuer({ audience: 'https://a.api.test', keyId: SHARED_KID });
    b = await createTestIssuer({ audience: 'https://b.api.test', keyId: SHARED_KID });
    stranger = await createTestIssuer({ audience: 'https://a.api.test', keyId: SHARED_KID });
    api = await startIssuersApp({
      issuers: [
        { issuer: a.issuer, audience: 'https://a.api.test', jwksUri: a.jwksUri },
        { issuer: b.issuer, audience: 'https://b.api.test', jwksUri: b.jwksUri },
      ],
      tokenCache: { enabled: false },
    });
  });

  afterAll(async () => {
    await api.close();
    await Promise.all([a.close(), b.close(), stranger.close()]);
  });

  it("admits each issuer's own tokens, keys taken from that issuer's key set", async () => {
    for (const issuer of [a, b]) {
      const response = await api.get(issuer.token({ sub: 'partner-a', scopes: ['list:users'] }));
      expect(response.status).toBe(200);
    }
  });

  it("refuses a token signed by B's key (same kid) that claims A's iss: A's key set verifies it", async () => {
    const forged = b.token({
      sub: 'partner-a',
      scopes: ['list:users'],
      issuer: a.issuer,
      audience: 'https://a.api.test',
    });
    const response = await api.get(forged);
    expect([response.status, message(response.body)]).toEqual([
      401,
      'The access token signature is invalid',
    ]);
  });

  it("refuses a token of A for B's audience (each issuer's audience list is its own)", async () => {
    const response = await api.get(
      a.token({ sub: 'partner-a', scopes: ['list:users'], audience: 'https://b.api.test' }),
    );
    expect([response.status, message(response.body)]).toEqual([
      401,
      'The access token is meant for another audience',
    ]);
  });

  it('refuses a token of an issuer not on the list without any key-set fetch', async () => {
    const before = [a.jwksRequestCount, b.jwksRequestCount];
    const response = await api.get(stranger.token({ sub: 'partner-a', scopes: ['list:users'] }));
    expect([response.status, message(response.body)]).toEqual([
      401,
      'The access token was issued by another issuer',
    ]);
    expect([a.jwksRequestCount, b.jwksRequestCount, stranger.jwksRequestCount]).toEqual([
      ...before,
      0,
    ]);
  });

  it('refuses a token without iss without any key-set fetch', async () => {
    const before = [a.jwksRequestCount, b.jwksRequestCount];
    const response = await api.get(
      a.token({ sub: 'partner-a', scopes: ['list:users'], claims: { iss: undefined } }),
    );
    expect(response.status).toBe(401);
    expect([a.jwksRequestCount, b.jwksRequestCount]).toEqual(before);
  });
});

/** HS256 shared-secret issuers beside an RS256 (JWKS) issuer: no algorithm confusion either way. */
describe('an HS256 shared-secret issuer', () => {
  const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
  const HS_ISSUER = 'https://hs.issuer.test/';
  const AUDIENCE = 'https://partner-api.test';
  let rs: TestIssuer;
  let api: IssuersApp;

  beforeAll(async () => {
    rs = await createTestIssuer({ audience: AUDIENCE });
    api = await startIssuersApp({
      issuers: [
        { issuer: HS_ISSUER, audience: AUDIENCE, secret: SECRET },
        { issuer: rs.issuer, audience: AUDIENCE, jwksUri: rs.jwksUri },
      ],
    });
  });

  afterAll(async () => {
    await api.close();
    await rs.close();
  });

  const hsClaims = (extra = {}) =>
    freshClaims(HS_ISSUER, AUDIENCE, {
      sub: 'partner-a',
      client_id: 'partner-a',
      scope: 'list:users',
      ...extra,
    });

  it('admits an HS256 token keyed with the secret (through passport-jwt)', async () => {
    const response = await api.get(hs256Token(hsClaims(), SECRET));
    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 200,
      body: { clientId: 'partner-a', scopes: ['list:users'] },
    });
  });

  it('refuses an HS256 token keyed with another secret as a bad signature', async () => {
    const response = await api.get(hs256Token(hsClaims(), `${SECRET}x`));
    expect([response.status, message(response.body)]).toEqual([
      401,
      'The access token signature is invalid',
    ]);
  });

  it('refuses an RS256 token claiming the HS issuer (alg confusion) as a disallowed algorithm', async () => {
    const token = rs.token({ sub: 'partner-a', scopes: ['list:users'], issuer: HS_ISSUER });
    const response = await api.get(token);
    expect([response.status, message(response.body)]).toEqual([
      401,
      'The access token is signed with an algorithm that is not allowed',
    ]);
  });

  it('refuses an HS256 token for the RS issuer, keyed with its public key or the HS secret', async () => {
    const withPublicKey = rs.hostile.algConfusion({ sub: 'partner-a', scopes: ['list:users'] });
    const withSecret = hs256Token(
      freshClaims(rs.issuer, AUDIENCE, {
        sub: 'partner-a',
        client_id: 'partner-a',
        scope: 'list:users',
      }),
      SECRET,
    );
    for (const token of [withPublicKey, withSecret]) {
      const response = await api.get(token);
      expect([response.status, message(response.body)]).toEqual([
        401,
        'The access token is signed with an algorithm that is not allowed',
      ]);
    }
  });

  it('refuses an unsigned (alg none) token claiming the HS issuer', async () => {
    const token = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify(hsClaims()),
    ).toString('base64url')}.`;
    expect((await api.get(token)).status).toBe(401);
  });
});
