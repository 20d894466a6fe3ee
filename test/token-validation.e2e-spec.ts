import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import type { DevIssuer } from '../src/dev-issuer/dev-issuer';
import {
  startTestAuthorizationServer,
  TEST_AUDIENCE,
  TEST_CLIENTS,
} from './support/authorization-server';
import { expectRefusal, REFUSALS } from './support/bearer-refusals';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  type TestApp,
} from './support/test-app';
import {
  decodeJwt,
  flipSignatureCharacter,
  unsignedToken,
  withHeader,
  withPayload,
  withSignature,
} from './support/tokens';

/**
 * Which tokens the API accepts: signature, algorithm, payload integrity, expiry, audience, issuer,
 * key id, type. Every token starts as a real one from a running authorization server; refusals
 * come from hand-modified copies or from apps configured to expect something else.
 */

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA, partnerB } = TEST_CLIENTS;
const OTHER_AUDIENCE = 'https://another-api.test';

/** The main authorization server: the app under test trusts it. */
let issuer: DevIssuer | undefined;
/** A second, independent authorization server with 1-second tokens (expiry, foreign keys). */
let shortLived: DevIssuer | undefined;

let api: TestApp | undefined;
let otherAudienceApi: TestApp | undefined;
let twoAudiencesApi: TestApp | undefined;
let wrongIssuerApi: TestApp | undefined;
let strictClockApi: TestApp | undefined;
let tolerantClockApi: TestApp | undefined;

let partnerAToken: string;
let partnerBToken: string;

function running<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not running`);
  return value;
}

const getMe = (app: TestApp | undefined, token: string): request.Test =>
  request(running(app, 'the app').url).get('/partners/me').set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  [issuer, shortLived] = await Promise.all([
    startTestAuthorizationServer(),
    startTestAuthorizationServer({ accessTokenTtlSeconds: 1 }),
  ]);
  [api, otherAudienceApi, twoAudiencesApi, wrongIssuerApi, strictClockApi, tolerantClockApi] =
    await Promise.all([
      startTestApp(appConfigFor(issuer)),
      // Same issuer and keys, but this API is another audience.
      startTestApp(appConfigFor(issuer, { audience: OTHER_AUDIENCE })),
      // This API answers to two identifiers, the token's among them.
      startTestApp(appConfigFor(issuer, { audience: [OTHER_AUDIENCE, TEST_AUDIENCE] })),
      // The keys of the main issuer, but the issuer identifier of the other one.
      startTestApp(appConfigFor(issuer, { issuer: shortLived.issuer })),
      // warmUp: the keys are fetched at start-up, so the first request is fast.
      startTestApp(
        appConfigFor(shortLived, { oauth: { clockToleranceSeconds: 0, keySet: { warmUp: true } } }),
      ),
      startTestApp(
        appConfigFor(shortLived, { oauth: { clockToleranceSeconds: 1, keySet: { warmUp: true } } }),
      ),
    ]);
  partnerAToken = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, partnerA.scopes);
  partnerBToken = await issuer.getToken(partnerB.clientId, partnerB.clientSecret, partnerB.scopes);
});

afterAll(async () => {
  try {
    await closeAll(
      api,
      otherAudienceApi,
      twoAudiencesApi,
      wrongIssuerApi,
      strictClockApi,
      tolerantClockApi,
    );
  } finally {
    await Promise.all([issuer?.stop(), shortLived?.stop()]);
  }
});

describe('a valid token', () => {
  it('is accepted, and again when reused', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await getMe(api, partnerAToken);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ clientId: 'partner-a', name: 'Acme Corp' });
    }
  });
});

describe('signature', () => {
  it('rejects a token with one character changed in the middle of its signature with 401 invalid_token', async () => {
    const tampered = flipSignatureCharacter(partnerAToken);
    expect(tampered).not.toBe(partnerAToken);
    expectRefusal(await getMe(api, tampered), REFUSALS.badSignature);
  });

  it("rejects a token carrying another token's signature with 401 invalid_token", async () => {
    const swapped = withSignature(partnerAToken, decodeJwt(partnerBToken).segments[2]);
    expectRefusal(await getMe(api, swapped), REFUSALS.badSignature);
  });

  it('rejects a token whose signature was cut off with 401 invalid_token', async () => {
    expectRefusal(await getMe(api, withSignature(partnerAToken, '')), REFUSALS.malformedToken);
  });
});

describe('alg "none" (unsigned tokens)', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])(
    'rejects alg %j with an empty signature with 401 invalid_token',
    async (spelling) => {
      const unsigned = unsignedToken(partnerAToken, spelling);
      expect(unsigned.endsWith('.')).toBe(true);
      // An empty signature is not a JWS the API will even decode: refused as malformed.
      expectRefusal(await getMe(api, unsigned), REFUSALS.malformedToken);
    },
  );

  it.each(['none', 'None', 'NONE'])(
    'rejects alg %j with the original signature kept as an algorithm not allowed',
    async (spelling) => {
      const token = withHeader(partnerAToken, (header) => ({ ...header, alg: spelling }));
      expectRefusal(await getMe(api, token), REFUSALS.unsupportedAlgorithm);
    },
  );

  it('rejects alg HS256 (key confusion with the RSA public key) as an algorithm not allowed', async () => {
    const token = withHeader(partnerAToken, (header) => ({ ...header, alg: 'HS256' }));
    expectRefusal(await getMe(api, token), REFUSALS.unsupportedAlgorithm);
  });
});

describe('tampered payload (signature kept)', () => {
  it('rejects a token whose scope was widened with 401, not 201 or 403', async () => {
    // partner-b may not create users; adding the scope must break the signature, not grant it.
    const widened = withPayload(partnerBToken, (payload) => ({
      ...payload,
      scope: 'list:users read:users create:users',
    }));
    const response = await request(running(api, 'the app').url)
      .post('/users')
      .set('Authorization', `Bearer ${widened}`)
      .send({ name: 'Eve', email: 'eve@globex.example' });
    expectRefusal(response, REFUSALS.badSignature);
  });

  it('rejects a token whose sub was changed to another partner with 401 invalid_token', async () => {
    const impersonating = withPayload(partnerBToken, (payload) => ({
      ...payload,
      sub: 'partner-a',
    }));
    expectRefusal(await getMe(api, impersonating), REFUSALS.badSignature);
  });

  it('rejects a token whose exp was pushed back with 401 invalid_token', async () => {
    const extended = withPayload(partnerAToken, (payload) => ({
      ...payload,
      exp: Number(payload['exp']) + 86_400,
    }));
    expectRefusal(await getMe(api, extended), REFUSALS.badSignature);
  });
});

describe('expiry (1-second tokens)', () => {
  let token: string;
  let receivedAt: number;

  beforeAll(async () => {
    const server = running(shortLived, 'the short-lived issuer');
    token = await server.getToken(partnerA.clientId, partnerA.clientSecret, partnerA.scopes);
    receivedAt = Date.now();
  });

  it('gets tokens that expire one second after they are issued', () => {
    const { iat, exp } = decodeJwt(token).payload;
    expect(Number(exp) - Number(iat)).toBe(1);
  });

  it('accepts the token while it is fresh (clock tolerance 1 s), caching it', async () => {
    // iat <= receivedAt, so with 1 s of tolerance the token is good until at least receivedAt + 1 s.
    const response = await getMe(tolerantClockApi, token);
    expect(Date.now() - receivedAt).toBeLessThan(1_000);
    expect(response.status).toBe(200);
  });

  it('rejects the expired token with 401 invalid_token "The access token expired" (tolerance 0)', async () => {
    // floor(now) >= iat + 2 > exp: expired even with the 1 s tolerance of the other app.
    await delay(Math.max(0, receivedAt + 2_200 - Date.now()));
    expectRefusal(await getMe(strictClockApi, token), REFUSALS.expired);
  });

  it('rejects the expired token although it was verified and cached while fresh', async () => {
    expectRefusal(await getMe(tolerantClockApi, token), REFUSALS.expired);
  });
});

describe('audience', () => {
  it('rejects a token whose aud is another API with 401 invalid_token', async () => {
    expect(decodeJwt(partnerAToken).payload['aud']).not.toBe(OTHER_AUDIENCE);
    expectRefusal(await getMe(otherAudienceApi, partnerAToken), REFUSALS.badAudience);
  });

  it("accepts a token whose aud is one of the API's several audiences", async () => {
    const response = await getMe(twoAudiencesApi, partnerAToken);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ clientId: 'partner-a', name: 'Acme Corp' });
  });
});

describe('issuer', () => {
  it('rejects a token of another authorization server, whose keys the app does not know, as issued by another issuer', async () => {
    // Short-lived tokens are fine here: the issuer is refused before exp is checked.
    const server = running(shortLived, 'the short-lived issuer');
    const foreign = await server.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
    expect(decodeJwt(foreign).header['kid']).not.toBe(decodeJwt(partnerAToken).header['kid']);
    expectRefusal(await getMe(api, foreign), REFUSALS.badIssuer);
  });

  it('rejects a token whose iss is not the configured issuer (keys shared) with 401 invalid_token', async () => {
    expectRefusal(await getMe(wrongIssuerApi, partnerAToken), REFUSALS.badIssuer);
  });
});

describe('key id and token type', () => {
  it('rejects a token whose kid is not in the key set with 401 invalid_token', async () => {
    const token = withHeader(partnerAToken, (header) => ({ ...header, kid: 'no-such-key' }));
    expectRefusal(await getMe(api, token), REFUSALS.unknownKid);
  });

  it.each(['dpop+jwt', 'id_token+jwt', 'secevent+jwt'])(
    'rejects a token with typ %j (not an access token) with 401 invalid_token',
    async (typ) => {
      const token = withHeader(partnerAToken, (header) => ({ ...header, typ }));
      expectRefusal(await getMe(api, token), REFUSALS.badTokenType);
    },
  );
});

describe('not a JWT', () => {
  it.each(['not-a-jwt', 'a.b', 'eyJhbGciOiJSUzI1NiJ9', 'Zm9v.YmFy.YmF6', 'x.y.z'])(
    'rejects the token %j with 401 invalid_token (malformed)',
    async (garbage) => {
      expectRefusal(await getMe(api, garbage), REFUSALS.malformedToken);
    },
  );
});
