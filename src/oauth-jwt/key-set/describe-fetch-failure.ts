import { KeySetFetchError, MAX_REDIRECTS, type FetchFailure } from './fetch-json';

/** getaddrinfo's answers when a host name does not resolve (now or at all). */
const DNS_FAILURES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
]);

const CAUSES: Readonly<Record<Exclude<FetchFailure, 'network' | 'status'>, string>> = {
  timeout: 'timeout (keySet.timeoutMs)',
  redirect: `redirect refused (only ${String(MAX_REDIRECTS)} redirects within the URL's origin are followed)`,
  too_large: 'bad document: larger than keySet.maxResponseBytes',
  not_json: 'bad document: not JSON',
  not_jwks: 'bad document: not a JWKS (no "keys" array)',
  bad_metadata:
    'bad document: discovery metadata naming another issuer or without a usable jwks_uri',
  no_usable_keys:
    "bad document: no usable key in the JWKS (see algorithms, and the keys' kty, alg, use and size)",
};

/**
 * Why the key set could not be fetched, for a log line: the cause (DNS, refused, timeout, HTTP
 * status, bad document, redirect) and the URL by origin and path. Never a query string, a
 * response body or a library message: they may carry secrets.
 */
export function describeFetchFailure(error: unknown): string {
  if (!(error instanceof KeySetFetchError)) return `unexpected ${nameOf(error)}`;
  return `${causeOf(error)} at ${error.url}`;
}

function causeOf(error: KeySetFetchError): string {
  const { failure, status, networkCode } = error;
  if (failure === 'status') return `HTTP status ${String(status)}`;
  if (failure !== 'network') return CAUSES[failure];
  if (networkCode === undefined) return 'network error';
  if (DNS_FAILURES.has(networkCode)) return `DNS failure (${networkCode})`;
  if (networkCode === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  return `network error (${networkCode})`;
}

/** An error's class name when it looks like one (read by shape: Node's errors fail instanceof under Jest). */
function nameOf(error: unknown): string {
  const name: unknown =
    typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'error';
}
