import {
  expectedRefusal,
  expectRefusal as expectExactRefusal,
  type HttpResult,
} from '../../support/bearer-refusals';
import type { SeenResponse } from './security-harness';
import { parseChallenge, type Refusal } from './refusals';

/**
 * Asserts a refusal exactly: status, the whole `WWW-Authenticate` value (which must also pass the
 * strict RFC 6750 grammar), `Cache-Control: no-store` and the JSON body.
 */
export function expectRefusal(response: SeenResponse, expected: Refusal): void {
  expectExactRefusal(response as HttpResult, expectedRefusal(expected, expected.scope));
  expect(typeof parseChallenge(response.headers['www-authenticate'], response.status)).toBe(
    'object',
  );
}

/** Asserts the request got through: 200, no challenge. */
export function expectAccepted(response: SeenResponse): void {
  expect({ status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({
    status: 200,
    challenge: undefined,
  });
}

/**
 * Asserts Node's HTTP parser refused the request itself (before the app saw it): the given status,
 * no challenge (the app never ran), never a 5xx.
 */
export function expectNodeRefusal(response: SeenResponse, status: 400 | 431): void {
  expect({ status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({
    status,
    challenge: undefined,
  });
}
