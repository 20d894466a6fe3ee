import * as crypto from 'node:crypto';

import { DevIssuer, DevIssuerOptions, TokenRequestError } from './dev-issuer';

// These tests start the real issuer child process and talk to it over HTTP.
const TEST_TIMEOUT_MS = 20_000;
jest.setTimeout(TEST_TIMEOUT_MS);

const AUDIENCE = 'https://api.dev-issuer.test';
const TTL_SECONDS = 120;

const FULL = {
  clientId: 'full-client',
  clientSecret: 'full-secret',
  scopes: ['list:users', 'read:users', 'delete:users'],
};
const LIMITED = {
  clientId: 'limited-client',
  clientSecret: 'limited-secret',
  scopes: ['list:users'],
};
const SCP = {
  clientId: 'scp-client',
  clientSecret: 'scp-secret',
  scopes: ['list:users'],
  // `iss` / `sub` document that oidc-provider does not let extra claims override registered claims.
  extraClaims: {
    scp: ['list:users', 'read:users'],
    permissions: ['list:users'],
    iss: 'https://evil.test',
    sub: 'evil',
  },
};
const AUTH0_STYLE = {
  clientId: 'partner-c@clients',
  clientSecret: 'c+secret with spaces&=',
  scopes: ['read:users'],
};

const OPTIONS: DevIssuerOptions = {
  audience: AUDIENCE,
  scopes: ['list:users', 'read:users', 'delete:users'],
  clients: [FULL, LIMITED, SCP, AUTH0_STYLE],
  accessTokenTtlSeconds: TTL_SECONDS,
};

type Json = Record<string, unknown>;

interface DecodedJwt {
  header: Json;
  payload: Json;
  signingInput: string;
  signature: Buffer;
}

function decodeSegment(segment: string | undefined): Json {
  if (!segment) throw new Error('malformed JWT');
  const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('JWT segment is not a JSON object');
  }
  return parsed as Json;
}

function decodeJwt(token: string): DecodedJwt {
  const [header, payload, signature, ...rest] = token.split('.');
  if (!header || !payload || !signature || rest.length > 0)
    throw new Error('not a JWS compact token');
  return {
    header: decodeSegment(header),
    payload: decodeSegment(payload),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

async function getJson(url: string): Promise<Json> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

async function fetchJwks(issuer: DevIssuer): Promise<crypto.JsonWebKey[]> {
  const jwks = await getJson(issuer.jwksUri);
  return jwks.keys as crypto.JsonWebKey[];
}

function kids(keys: crypto.JsonWebKey[]): unknown[] {
  return keys.map((key) => key.kid);
}

/** Verifies an RS256 signature against the JWKS key named by the token's kid. */
function verifiesWith(keys: crypto.JsonWebKey[], token: string): boolean {
  const { header, signingInput, signature } = decodeJwt(token);
  const jwk = keys.find((key) => key.kid === header.kid);
  if (!jwk) return false;
  const publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  return crypto.verify('RSA-SHA256', Buffer.from(signingInput), publicKey, signature);
}

async function expectTokenError(
  promise: Promise<unknown>,
  status: number,
  error: string,
): Promise<TokenRequestError> {
  const caught: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(caught).toBeInstanceOf(TokenRequestError);
  const tokenError = caught as TokenRequestError;
  expect(tokenError.status).toBe(status);
  expect(tokenError.error).toBe(error);
  return tokenError;
}

describe('DevIssuer', () => {
  let issuer: DevIssuer;

  beforeAll(async () => {
    issuer = await DevIssuer.start(OPTIONS);
  });

  afterAll(async () => {
    await (issuer as DevIssuer | undefined)?.stop();
  });

  it('announces a loopback issuer and serves discovery metadata', async () => {
    expect(issuer.issuer).toBe(`http://127.0.0.1:${issuer.port}`);
    expect(issuer.port).toBeGreaterThan(0);
    expect(issuer.tokenEndpoint).toBe(`${issuer.issuer}/token`);

    const metadata = await getJson(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(metadata.issuer).toBe(issuer.issuer);
    expect(metadata.token_endpoint).toBe(issuer.tokenEndpoint);
    expect(metadata.jwks_uri).toBe(issuer.jwksUri);
    expect(metadata.grant_types_supported).toEqual(['client_credentials']);
  });

  it('issues an RS256 at+jwt access token with the expected claims', async () => {
    const token = await issuer.getToken(FULL.clientId, FULL.clientSecret, [
      'list:users',
      'read:users',
    ]);
    const { header, payload } = decodeJwt(token);

    expect(header).toEqual({
      alg: 'RS256',
      typ: 'at+jwt',
      kid: issuer.currentKid,
    });
    expect(Object.keys(payload).sort()).toEqual([
      'aud',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'scope',
      'sub',
    ]);
    expect(payload).toMatchObject({
      iss: issuer.issuer,
      sub: FULL.clientId,
      aud: AUDIENCE,
      client_id: FULL.clientId,
      scope: 'list:users read:users',
    });
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp).toBe(Number(payload.iat) + TTL_SECONDS);
  });

  it('omits the scope claim when no scope is requested', async () => {
    const { payload } = decodeJwt(await issuer.getToken(FULL.clientId, FULL.clientSecret));
    expect(payload).not.toHaveProperty('scope');
    expect(payload.aud).toBe(AUDIENCE);
  });

  it('accepts the audience as an explicit resource indicator and rejects others', async () => {
    const token = await issuer.getToken(
      LIMITED.clientId,
      LIMITED.clientSecret,
      ['list:users'],
      AUDIENCE,
    );
    expect(decodeJwt(token).payload.aud).toBe(AUDIENCE);

    await expectTokenError(
      issuer.getToken(LIMITED.clientId, LIMITED.clientSecret, [], 'https://other-api.test'),
      400,
      'invalid_target',
    );
  });

  it('rejects scopes outside the client registration with invalid_scope', async () => {
    const error = await expectTokenError(
      issuer.getToken(LIMITED.clientId, LIMITED.clientSecret, ['list:users', 'delete:users']),
      400,
      'invalid_scope',
    );
    expect(error.message).not.toContain(LIMITED.clientSecret);
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    const error = await expectTokenError(
      issuer.getToken(FULL.clientId, 'wrong-secret'),
      401,
      'invalid_client',
    );
    expect(error.message).not.toContain('wrong-secret');
  });

  it('adds extra claims but keeps registered claims authoritative', async () => {
    const { payload } = decodeJwt(await issuer.getToken(SCP.clientId, SCP.clientSecret));
    expect(payload.scp).toEqual(['list:users', 'read:users']);
    expect(payload.permissions).toEqual(['list:users']);
    expect(payload.iss).toBe(issuer.issuer);
    expect(payload.sub).toBe(SCP.clientId);
    expect(payload).not.toHaveProperty('scope');
  });

  it('supports Auth0-style client ids containing "@" (client_secret_basic)', async () => {
    const token = await issuer.getToken(AUTH0_STYLE.clientId, AUTH0_STYLE.clientSecret, [
      'read:users',
    ]);
    expect(decodeJwt(token).payload).toMatchObject({
      sub: AUTH0_STYLE.clientId,
      client_id: AUTH0_STYLE.clientId,
    });
  });

  it('supports client_secret_post', async () => {
    const response = await fetch(issuer.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: FULL.clientId,
        client_secret: FULL.clientSecret,
        scope: 'delete:users',
      }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: TTL_SECONDS,
      scope: 'delete:users',
    });
  });

  it('publishes the signing key in the JWKS and the signature verifies', async () => {
    const token = await issuer.getToken(FULL.clientId, FULL.clientSecret, ['list:users']);
    const keys = await fetchJwks(issuer);
    expect(kids(keys)).toEqual([issuer.currentKid]);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    expect(verifiesWith(keys, token)).toBe(true);
  });
});

describe('DevIssuer key rotation', () => {
  let issuer: DevIssuer;

  beforeAll(async () => {
    issuer = await DevIssuer.start(OPTIONS);
  });

  afterAll(async () => {
    await (issuer as DevIssuer | undefined)?.stop();
  });

  it('signs with the new key while still publishing the old one, then retires it', async () => {
    const oldKid = issuer.currentKid;
    const oldToken = await issuer.getToken(FULL.clientId, FULL.clientSecret);

    const newKid = await issuer.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    expect(issuer.currentKid).toBe(newKid);

    const newToken = await issuer.getToken(FULL.clientId, FULL.clientSecret);
    expect(decodeJwt(newToken).header.kid).toBe(newKid);
    const rotated = await fetchJwks(issuer);
    expect(kids(rotated)).toEqual([newKid, oldKid]);
    expect(verifiesWith(rotated, oldToken)).toBe(true);
    expect(verifiesWith(rotated, newToken)).toBe(true);

    await issuer.retireOldKeys();
    const retired = await fetchJwks(issuer);
    expect(kids(retired)).toEqual([newKid]);
    expect(verifiesWith(retired, oldToken)).toBe(false);
    expect(verifiesWith(retired, newToken)).toBe(true);
  });
});

describe('DevIssuer lifecycle', () => {
  it('stop() terminates the server and is idempotent', async () => {
    const issuer = await DevIssuer.start(OPTIONS);
    await issuer.stop();
    await issuer.stop();

    await expect(fetch(issuer.jwksUri, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    await expect(issuer.rotateKeys()).rejects.toThrow(/not running/);
  });

  it('rejects with the child stderr when the configuration is invalid', async () => {
    const start = DevIssuer.start({
      ...OPTIONS,
      clients: [{ ...LIMITED, scopes: ['unknown:scope'] }],
    });
    await expect(start).rejects.toThrow(/invalid ISSUER_CONFIG: clients\[0\]\.scopes/);
  });

  it('rejects when the issuer is not ready within startTimeoutMs', async () => {
    await expect(DevIssuer.start({ ...OPTIONS, startTimeoutMs: 1 })).rejects.toThrow(/timed out/);
  });
});

describe('DevIssuer CORS (a browser, e.g. Swagger UI, asking for a token)', () => {
  const API_ORIGIN = 'http://127.0.0.1:3000';
  let issuer: DevIssuer;

  beforeAll(async () => {
    issuer = await DevIssuer.start(OPTIONS);
  });

  afterAll(async () => {
    await (issuer as DevIssuer | undefined)?.stop();
  });

  /** A client-credentials token request as a browser on `origin` sends it. */
  function tokenRequest(origin: string | undefined): Promise<Response> {
    return fetch(issuer.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${FULL.clientId}:${FULL.clientSecret}`).toString('base64')}`,
        ...(origin === undefined ? {} : { origin }),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'list:users' }),
      signal: AbortSignal.timeout(5_000),
    });
  }

  it('refuses every origin until origins are allowed (non-browser clients are unaffected)', async () => {
    const refused = await tokenRequest(API_ORIGIN);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await tokenRequest(undefined)).status).toBe(200);
  });

  it('answers the allowed origins only', async () => {
    await issuer.allowCorsOrigins([API_ORIGIN, 'http://localhost:3000']);

    const allowed = await tokenRequest(API_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(API_ORIGIN);
    expect(await allowed.json()).toMatchObject({ token_type: 'Bearer', scope: 'list:users' });

    for (const origin of ['http://127.0.0.1:3001', 'https://127.0.0.1:3000', 'null']) {
      const refused = await tokenRequest(origin);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(await refused.json()).toEqual({
        error: 'invalid_request',
        error_description: `origin ${origin} not allowed for client: ${FULL.clientId}`,
      });
    }
  });

  it.each([['*'], ['null'], ['http://127.0.0.1:3000/docs'], ['ftp://127.0.0.1'], [42]])(
    'rejects %p as an origin, keeping the allowed ones',
    async (origin) => {
      await issuer.allowCorsOrigins([API_ORIGIN]);
      await expect(issuer.allowCorsOrigins([origin as string])).rejects.toThrow(
        /dev issuer rejected "allow-origins": not an http\(s\) origin/,
      );
      expect((await tokenRequest(API_ORIGIN)).status).toBe(200);
    },
  );
});
