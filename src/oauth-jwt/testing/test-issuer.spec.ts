import { createPublicKey, verify } from 'node:crypto';
import { createTestIssuer, type TestIssuer } from './test-issuer';

function decode(token: string): { header: unknown; payload: unknown; signature: string } {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const json = (segment: string): unknown =>
    JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  return { header: json(header), payload: json(payload), signature };
}

describe('TestIssuer', () => {
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: ['https://a.test', 'https://b.test'] });
  });

  afterAll(() => issuer.close());

  it('mints an RS256 at+jwt with the RFC 9068 claims, verifiable with the JWKS it publishes', () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), doNotFake: ['nextTick'] });
    try {
      const token = issuer.token({ sub: 'partner-a', scopes: ['list:users', 'read:users'] });
      const now = Date.parse('2030-01-01T00:00:00Z') / 1000;
      expect(decode(token)).toEqual({
        header: { alg: 'RS256', typ: 'at+jwt', kid: issuer.keyId },
        payload: {
          iss: issuer.url,
          sub: 'partner-a',
          aud: ['https://a.test', 'https://b.test'],
          iat: now,
          exp: now + 300,
          jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
          client_id: 'partner-a',
          scope: 'list:users read:users',
        },
        signature: expect.any(String),
      });
      const [jwk] = issuer.jwks().keys;
      const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
      const input = token.slice(0, token.lastIndexOf('.'));
      const signature = Buffer.from(decode(token).signature, 'base64url');
      expect(verify('sha256', Buffer.from(input), key, signature)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('applies claim and header overrides last; undefined removes one', () => {
    const token = issuer.token({
      audience: 'https://c.test',
      expiresIn: 10,
      claims: { exp: undefined, tier: 'gold' },
      header: { typ: undefined, cty: 'x' },
    });
    const { header, payload } = decode(token) as {
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
    };
    expect(header).toEqual({ alg: 'RS256', kid: issuer.keyId, cty: 'x' });
    expect(payload).not.toHaveProperty('exp');
    expect(payload).not.toHaveProperty('scope');
    expect(payload).toMatchObject({ aud: 'https://c.test', tier: 'gold', sub: 'test-client' });
  });

  it('serves its JWKS, metadata naming its endpoints, and counts JWKS fetches', async () => {
    const jwks = await fetch(issuer.jwksUri);
    expect(await jwks.json()).toEqual(issuer.jwks());
    expect(issuer.jwksRequestCount).toBe(1);
    const metadata = await fetch(`${issuer.url}/.well-known/openid-configuration`);
    expect(await metadata.json()).toMatchObject({
      issuer: issuer.issuer,
      jwks_uri: issuer.jwksUri,
      token_endpoint: issuer.tokenEndpoint,
    });
  });

  it('answers token requests per RFC 6749: client id from the form, errors as JSON', async () => {
    const post = (body: string) =>
      fetch(issuer.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const issued = await post('grant_type=client_credentials&client_id=partner-b');
    const { access_token: token, ...rest } = (await issued.json()) as { access_token: string };
    expect(rest).toEqual({ token_type: 'Bearer', expires_in: 300 });
    expect(decode(token).payload).toMatchObject({ sub: 'partner-b' });
    const wrongGrant = await post('grant_type=password&client_id=partner-b');
    expect([wrongGrant.status, await wrongGrant.json()]).toEqual([
      400,
      { error: 'unsupported_grant_type' },
    ]);
    const noClient = await post('grant_type=client_credentials');
    expect([noClient.status, await noClient.json()]).toEqual([401, { error: 'invalid_client' }]);
  });

  it('signs any header and payload with its published key (sign())', () => {
    const token = issuer.sign({ alg: 'HS256', kid: issuer.keyId }, '{"sub":"a"');
    const [header, payload, signature] = token.split('.');
    const [jwk] = issuer.jwks().keys;
    const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    const input = Buffer.from(`${header ?? ''}.${payload ?? ''}`);
    expect(verify('sha256', input, key, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
    expect(Buffer.from(payload ?? '', 'base64url').toString()).toBe('{"sub":"a"');
  });

  it('takes another issuer identifier and kid; moduleOptions() and trustedIssuer() carry them; close() twice is safe', async () => {
    const other = await createTestIssuer({ issuer: 'https://issuer.test/', keyId: 'k1' });
    try {
      expect(decode(other.token()).payload).toMatchObject({ iss: 'https://issuer.test/' });
      expect(other.moduleOptions({ realm: 'x' })).toEqual({
        issuer: 'https://issuer.test/',
        audience: 'https://api.test',
        jwksUri: other.jwksUri,
        realm: 'x',
      });
      expect(other.trustedIssuer({ profile: 'entra' })).toEqual({
        issuer: 'https://issuer.test/',
        audience: 'https://api.test',
        jwksUri: other.jwksUri,
        profile: 'entra',
      });
      expect(decode(other.token()).header).toMatchObject({ kid: 'k1' });
    } finally {
      await other.close();
      await other.close();
    }
  });
});
