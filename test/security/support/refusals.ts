import { REFUSAL_SPECS, type ErrorCode, type RefusalSpec } from '../../support/bearer-refusals';

export type { ErrorCode };

/**
 * The refusals the API answers with, from the e2e suites' table (written out there, not imported
 * from src/, so that a change to a status, a challenge or a description breaks the suites), plus
 * a strict parser of the RFC 6750 §3 challenge used on every response the suites see.
 */

export interface Refusal extends RefusalSpec {
  readonly status: 400 | 401 | 403;
  /** The `scope` attribute (insufficient_scope only). */
  readonly scope?: string;
}

const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

export const REALM = 'api';

// The 503 of an unavailable key set is the key-set suites' business, not a hostile input's.
/** The shared refusal table (test/support/bearer-refusals.ts), without the 503. */
export const REFUSAL = withoutKeySetUnavailable(REFUSAL_SPECS) satisfies Record<string, Refusal>;

function withoutKeySetUnavailable<T extends { keySetUnavailable: unknown }>(
  specs: T,
): Omit<T, 'keySetUnavailable'> {
  const copy: Partial<T> = { ...specs };
  delete copy.keySetUnavailable;
  return copy as Omit<T, 'keySetUnavailable'>;
}

/** 403 insufficient_scope naming the scope(s) the route requires. */
export function insufficientScope(scope: string): Refusal {
  return {
    status: 403,
    error: 'insufficient_scope',
    description: 'The access token lacks a required scope',
    scope,
  };
}

/** Every description the API may send: a body or a challenge carrying anything else is a leak. */
export const KNOWN_DESCRIPTIONS: ReadonlySet<string> = new Set([
  ...Object.values(REFUSAL).map((entry) => entry.description),
  insufficientScope('x').description,
]);

/** What the strict grammar reads out of a challenge. */
export interface ParsedChallenge {
  readonly realm: string;
  readonly error: ErrorCode | undefined;
  readonly description: string | undefined;
  readonly scope: string | undefined;
}

/** quoted-string content RFC 6750 §3 allows: %x20-21 / %x23-5B / %x5D-7E. */
const QUOTED = '[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*';
/** scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = '[\\x21\\x23-\\x5B\\x5D-\\x7E]+';
const CHALLENGE = new RegExp(
  `^Bearer realm="(${QUOTED})"` +
    '(?:, error="(invalid_request|invalid_token|insufficient_scope)")?' +
    `(?:, error_description="(${QUOTED})")?` +
    `(?:, scope="(${SCOPE_TOKEN}(?: ${SCOPE_TOKEN})*)")?$`,
);

/**
 * Parses a `WWW-Authenticate` value with the strict grammar
 * `Bearer realm="..."(, error="...")?(, error_description="...")?(, scope="...")?`, or returns a
 * string saying why it does not conform (status consistency included: 400 ⇒ invalid_request,
 * 401 ⇒ none or invalid_token, 403 ⇒ insufficient_scope; a description only with an error; a
 * scope only with insufficient_scope).
 */
export function parseChallenge(value: unknown, status: number): ParsedChallenge | string {
  if (typeof value !== 'string') return `WWW-Authenticate is ${JSON.stringify(value)}`;
  const match = CHALLENGE.exec(value);
  if (!match) return `WWW-Authenticate does not match the RFC 6750 grammar: ${value}`;
  const [, realm = '', error, description, scope] = match;
  const parsed: ParsedChallenge = {
    realm,
    error: error as ErrorCode | undefined,
    description,
    scope,
  };
  if (description !== undefined && error === undefined) return 'error_description without error';
  if (scope !== undefined && error !== 'insufficient_scope')
    return 'scope without insufficient_scope';
  const allowed: Record<number, (ErrorCode | undefined)[]> = {
    400: ['invalid_request'],
    401: [undefined, 'invalid_token'],
    403: ['insufficient_scope'],
  };
  if (!(allowed[status] ?? []).includes(parsed.error)) {
    return `status ${status} with error ${String(parsed.error)}`;
  }
  return parsed;
}

/** A response as the shape check reads it. */
interface ResponseLike {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: unknown;
}

/**
 * Everything wrong with a response that should be one of the API's refusals with a status in
 * `statuses`: the strict challenge grammar (status-consistent), the realm, a description from the
 * fixed list, the exact JSON body that goes with it, `Cache-Control: no-store`, ASCII headers.
 * Empty when the response is a well-formed refusal.
 */
export function refusalProblems(response: ResponseLike, statuses: readonly number[]): string[] {
  const problems: string[] = [];
  if (!statuses.includes(response.status)) problems.push(`status ${response.status}`);
  const parsed = parseChallenge(response.headers['www-authenticate'], response.status);
  if (typeof parsed === 'string') return [...problems, parsed];
  if (parsed.realm !== REALM) problems.push(`realm ${parsed.realm}`);
  const description = parsed.description ?? REFUSAL.missingToken.description;
  if (!KNOWN_DESCRIPTIONS.has(description)) problems.push(`unknown description ${description}`);
  if (parsed.scope !== undefined && parsed.scope !== 'list:users') {
    problems.push(`scope ${parsed.scope}`);
  }
  const text = STATUS_TEXT[response.status as Refusal['status']] as string | undefined;
  const expectedBody = { statusCode: response.status, error: text, message: description };
  if (JSON.stringify(response.body) !== JSON.stringify(expectedBody)) {
    problems.push(`body ${JSON.stringify(response.body)}`);
  }
  if (response.headers['cache-control'] !== 'no-store') problems.push('no Cache-Control: no-store');
  for (const [name, value] of Object.entries(response.headers)) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (values.some((item) => typeof item === 'string' && !/^[\x20-\x7E]*$/.test(item))) {
      problems.push(`header ${name} is not visible ASCII`);
    }
  }
  return problems;
}
