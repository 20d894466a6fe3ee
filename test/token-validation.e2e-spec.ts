import request from 'supertest';
import type { DevIssuer } from '../src/dev-issuer/dev-issuer';
import { createTestIssuer, decodeJws, type TestIssuer } from '../src/oauth-jwt/testing';
import {
  startTestAuthorizationServer,
  TEST_AUDIENCE,
  TEST_CLIENTS,
} from './support/authorization-server';
import { expectRefusal, REFUSALS } from './support/bearer-refusals';
import { closeAll, E2E_TIMEOUT_MS, startAppFor, type TestApp } from './support/test-app';

/**
 * Which tokens of a real authorization server the API accepts, as the app's configuration says:
 * audience (one or several), issuer, the keys of another server, and the clock tolerance. Tokens hand-made to differ in
 * one way (signature, alg, claims, kid, typ, compact form) are the security suites' business
 * (test/security/*), each tested there once.
 */

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA } = TEST_CLIENTS;
const OTHER_AUDIENCE = 'https://another-api.test';

/** The main authorization server: the app under test trusts it. */
let issuer: DevIssuer | undefined;
/** A second, independent authorization server (its own keys and identifier). */
let otherIssuer: DevIssuer | undefined;

let api: TestApp | undefined;
let otherAudienceApi: TestApp | undefined;
let twoAudiencesApi: TestApp | undefined;
let wrongIssuerApi: TestApp | undefined;
/** A test-kit issuer and an app trusting it with no clock tolerance. */
let kitIssuer: TestIssuer | undefined;
let strictClockApi: TestApp | undefined;

let partnerAToken: string;

function running<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not running`);
  return value;
}

const getMe = (app: TestApp | undefined, token: string): request.Test =>
  request(running(app, 'the app').url).get('/partners/me').set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  [issuer, otherIssuer, kitIssuer] = await Promise.all([
    startTestAuthorizationServer(),
    startTestAuthorizationServer(),
    createTestIssuer({ audience: TEST_AUDIENCE }),
  ]);
  [api, otherAudienceApi, twoAudiencesApi, wrongIssuerApi, strictClockApi] = await Promise.all([
    startAppFor(issuer),
    // Same issuer and keys, but this API is another audience.
    startAppFor(issuer, { audience: OTHER_AUDIENCE }),
    // This API answers to two identifiers, the token's among them.
    startAppFor(issuer, { audience: [OTHER_AUDIENCE, TEST_AUDIENCE] }),
    // The keys of the main issuer, but the issuer identifier of the other one.
    startAppFor(issuer, { issuer: otherIssuer.issuer }),
    startAppFor(kitIssuer, { oauth: { clockToleranceSeconds: 0 } }),
  ]);
  partnerAToken = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, partnerA.scopes);
});

afterAll(async () => {
  try {
    await closeAll(api, otherAudienceApi, twoAudiencesApi, wrongIssuerApi, strictClockApi);
  } finally {
    await Promise.all([issuer?.stop(), otherIssuer?.stop(), kitIssuer?.close()]);
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

describe('audience', () => {
  it('rejects a token whose aud is another API with 401 invalid_token', async () => {
    expect(decodeJws(partnerAToken).payload['aud']).not.toBe(OTHER_AUDIENCE);
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
    const server = running(otherIssuer, 'the other issuer');
    const foreign = await server.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
    expect(decodeJws(foreign).header['kid']).not.toBe(decodeJws(partnerAToken).header['kid']);
    expectRefusal(await getMe(api, foreign), REFUSALS.badIssuer);
  });

  it('rejects a token whose iss is not the configured issuer (keys shared) with 401 invalid_token', async () => {
    expectRefusal(await getMe(wrongIssuerApi, partnerAToken), REFUSALS.badIssuer);
  });
});

describe('clock tolerance', () => {
  it('refuses a token expired 2 s ago with 401 "The access token expired" when clockToleranceSeconds is 0', async () => {
    // The default 5 s would accept it (test/security/claims.e2e-spec.ts, "within the 5 s clock tolerance").
    const token = running(kitIssuer, 'the test-kit issuer').token({
      sub: 'partner-a',
      expiresIn: -2,
    });
    expectRefusal(await getMe(strictClockApi, token), REFUSALS.expired);
  });
});
