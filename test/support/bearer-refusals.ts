import type { Response } from 'supertest';

/**
 * The refusals the API answers with, written out in full here (not imported from src/) so that a
 * change to a status, a challenge or a description breaks these tests.
 */

export interface ExpectedRefusal {
  readonly status: 400 | 401 | 403 | 503;
  /** The exact `WWW-Authenticate` value; undefined where the header must be absent (503). */
  readonly challenge: string | undefined;
  /** The exact JSON body. */
  readonly body: { statusCode: number; error: string; message: string };
}

const STATUS_TEXT = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
} as const;

export type ErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** One refusal as the API defines it: status, RFC 6750 error code (none for 401 without credentials, 503), description. */
export interface RefusalSpec {
  readonly status: ExpectedRefusal['status'];
  readonly error: ErrorCode | undefined;
  readonly description: string;
}

function spec<S extends RefusalSpec['status']>(
  status: S,
  description: string,
  error?: ErrorCode,
): RefusalSpec & { readonly status: S } {
  return { status, error, description };
}

/** Every refusal the API answers with; the e2e and security suites both build on this table. */
export const REFUSAL_SPECS = {
  missingToken: spec(401, 'Bearer access token required'),
  malformedRequest: spec(400, 'The Authorization header is malformed', 'invalid_request'),
  multipleCredentials: spec(400, 'The request carries more than one credential', 'invalid_request'),
  tokenInQuery: spec(400, 'Access tokens are not accepted in the query string', 'invalid_request'),
  tokenInBody: spec(400, 'Access tokens are not accepted in the request body', 'invalid_request'),
  malformedToken: spec(401, 'The access token is malformed', 'invalid_token'),
  unsupportedAlgorithm: spec(
    401,
    'The access token is signed with an algorithm that is not allowed',
    'invalid_token',
  ),
  unsupportedHeader: spec(401, 'The access token header is not supported', 'invalid_token'),
  badTokenType: spec(401, 'The token is not an access token', 'invalid_token'),
  unknownKid: spec(401, 'The access token is signed with an unknown key', 'invalid_token'),
  badSignature: spec(401, 'The access token signature is invalid', 'invalid_token'),
  expired: spec(401, 'The access token expired', 'invalid_token'),
  notYetValid: spec(401, 'The access token is not valid yet', 'invalid_token'),
  badIssuer: spec(401, 'The access token was issued by another issuer', 'invalid_token'),
  badAudience: spec(401, 'The access token is meant for another audience', 'invalid_token'),
  badClaim: spec(401, 'The access token has a missing or invalid claim', 'invalid_token'),
  invalidToken: spec(401, 'The access token is invalid', 'invalid_token'),
  unknownPartner: spec(403, 'The client is not a registered partner', 'insufficient_scope'),
  keySetUnavailable: spec(503, 'The signing keys are temporarily unavailable'),
} as const satisfies Record<string, RefusalSpec>;

/** The exact response of a refusal: a 503 carries no challenge. */
export function expectedRefusal(
  { status, description, error }: RefusalSpec,
  scope?: string,
): ExpectedRefusal {
  let challenge: string | undefined = 'Bearer realm="api"';
  if (error) challenge += `, error="${error}", error_description="${description}"`;
  if (scope !== undefined) challenge += `, scope="${scope}"`;
  if (status === 503) challenge = undefined;
  return {
    status,
    challenge,
    body: { statusCode: status, error: STATUS_TEXT[status], message: description },
  };
}

export const REFUSALS = Object.fromEntries(
  Object.entries(REFUSAL_SPECS).map(([name, refusal]) => [name, expectedRefusal(refusal)]),
) as Record<keyof typeof REFUSAL_SPECS, ExpectedRefusal>;

/** 403 insufficient_scope naming the scope the route requires. */
export function insufficientScope(scope: string): ExpectedRefusal {
  return expectedRefusal(
    spec(403, 'The access token lacks a required scope', 'insufficient_scope'),
    scope,
  );
}

/** A response as both supertest and the raw-request helper return it. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** Asserts status, `WWW-Authenticate` (exact, or absent), `Cache-Control: no-store` and body. */
export function expectRefusal(response: HttpResult | Response, expected: ExpectedRefusal): void {
  expect({
    status: response.status,
    challenge: response.headers['www-authenticate'],
    cacheControl: response.headers['cache-control'],
    body: response.body,
  }).toEqual({
    status: expected.status,
    challenge: expected.challenge,
    cacheControl: 'no-store',
    body: expected.body,
  });
}
