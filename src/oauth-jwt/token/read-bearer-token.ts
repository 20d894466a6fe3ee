import { BearerTokenException } from '../errors/bearer-token.exception';

/** The parts of an HTTP request the reader looks at (Express and Fastify requests both fit). */
export interface BearerRequest {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders?: string[] };
  url?: string;
  query?: unknown;
  body?: unknown;
}

/** RFC 6750 §2.1: `Bearer` 1*SP b64token, where b64token = 1*( ALPHA / DIGIT / "-._~+/" ) *"=". */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** The scheme is `Bearer` when no RFC 9110 tchar follows it: `Bearer\tx`, `Bearer,x` are malformed Bearer. */
const BEARER_SCHEME = /^Bearer(?![!#$%&'*+\-.^_`|~0-9A-Za-z])/i;

/**
 * Reads the bearer token from the `Authorization` header, strictly:
 * - no header, or another scheme: 401 with a bare challenge (`missing_token`);
 * - `Bearer` with no token, with extra parts or bad characters: 400 `invalid_request`;
 * - more than one `Authorization` header, or a token also in the query or body: 400;
 * - a token only in the query string or form body: 400 (RFC 9700 forbids the query; we accept
 *   the header alone).
 */
export function readBearerToken(request: BearerRequest): string {
  const header = request.headers.authorization;
  // Express 5 parses the query string on every read of `request.query`: only read it when there is one.
  const queryToken = hasQueryString(request) && hasAccessTokenField(request.query);
  const bodyToken = hasAccessTokenField(request.body);
  // Node keeps only the first of repeated headers, so an empty one can hide a second: count first.
  if (
    header !== undefined &&
    (typeof header !== 'string' || countAuthorizationHeaders(request) > 1)
  ) {
    throw new BearerTokenException('multiple_credentials');
  }
  if (header === undefined || header === '') {
    if (queryToken) throw new BearerTokenException('token_in_query');
    if (bodyToken) throw new BearerTokenException('token_in_body');
    throw new BearerTokenException('missing_token');
  }
  if (!BEARER_SCHEME.test(header)) {
    if (queryToken || bodyToken) throw new BearerTokenException('multiple_credentials');
    throw new BearerTokenException('missing_token');
  }
  const match = BEARER_CREDENTIALS.exec(header);
  if (!match?.[1]) throw new BearerTokenException('malformed_request');
  if (queryToken || bodyToken) throw new BearerTokenException('multiple_credentials');
  return match[1];
}

/**
 * The warm path's reader. When the header is exactly `Bearer <token>` and `lookup` knows the token
 * (only a token read strictly and verified before is known, so its syntax is proven), only the
 * checks that belong to this request run: one `Authorization` header, no token in the query or
 * body. Otherwise undefined: the caller reads strictly with readBearerToken.
 */
export function readKnownBearerToken<T>(
  request: BearerRequest,
  lookup: (token: string) => T | undefined,
): T | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
  const known = lookup(header.slice(7));
  if (known === undefined) return undefined;
  if (
    countAuthorizationHeaders(request) > 1 ||
    (hasQueryString(request) && hasAccessTokenField(request.query)) ||
    hasAccessTokenField(request.body)
  ) {
    throw new BearerTokenException('multiple_credentials');
  }
  return known;
}

function hasQueryString(request: BearerRequest): boolean {
  return typeof request.url !== 'string' || request.url.includes('?');
}

function hasAccessTokenField(container: unknown): boolean {
  return (
    typeof container === 'object' &&
    container !== null &&
    Object.prototype.hasOwnProperty.call(container, 'access_token')
  );
}

/** Node keeps only the first `Authorization` header in `headers`; the raw list shows them all. */
function countAuthorizationHeaders(request: BearerRequest): number {
  const raw = request.rawHeaders ?? request.raw?.rawHeaders;
  if (!raw) return 1;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name?.length === 13 && name.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}
