import { describeFetchFailure } from './describe-fetch-failure';
import { KeySetFetchError, type FetchFailure, type KeySetFetchErrorDetails } from './fetch-json';

const JWKS = 'https://issuer.test/keys?api_key=s3cr3t';

function described(failure: FetchFailure, details: KeySetFetchErrorDetails = {}): string {
  return describeFetchFailure(new KeySetFetchError(failure, JWKS, details));
}

describe('describeFetchFailure', () => {
  it.each<[string, FetchFailure, KeySetFetchErrorDetails, string]>([
    ['a DNS failure', 'network', { networkCode: 'ENOTFOUND' }, 'DNS failure (ENOTFOUND)'],
    ['a temporary DNS failure', 'network', { networkCode: 'EAI_AGAIN' }, 'DNS failure (EAI_AGAIN)'],
    [
      'a refused connection',
      'network',
      { networkCode: 'ECONNREFUSED' },
      'connection refused (ECONNREFUSED)',
    ],
    ['a reset connection', 'network', { networkCode: 'ECONNRESET' }, 'network error (ECONNRESET)'],
    ['a network failure without a code', 'network', {}, 'network error'],
    ['a timeout', 'timeout', {}, 'timeout (keySet.timeoutMs)'],
    ['an HTTP status', 'status', { status: 503 }, 'HTTP status 503'],
    [
      'a refused redirect',
      'redirect',
      {},
      "redirect refused (only 3 redirects within the URL's origin are followed)",
    ],
    ['an oversized document', 'too_large', {}, 'bad document: larger than keySet.maxResponseBytes'],
    ['a body that is not JSON', 'not_json', {}, 'bad document: not JSON'],
    ['JSON that is not a JWKS', 'not_jwks', {}, 'bad document: not a JWKS (no "keys" array)'],
    [
      'bad discovery metadata',
      'bad_metadata',
      {},
      'bad document: discovery metadata naming another issuer or without a usable jwks_uri',
    ],
    [
      'a JWKS without a usable key',
      'no_usable_keys',
      {},
      "bad document: no usable key in the JWKS (see algorithms, and the keys' kty, alg, use and size)",
    ],
  ])('names %s and the URL without its query', (_label, failure, details, cause) => {
    expect(described(failure, details)).toBe(`${cause} at https://issuer.test/keys`);
  });

  it('names a foreign error by its class only, never by its message', () => {
    const error = new TypeError(`Cannot fetch ${JWKS}`);
    expect(describeFetchFailure(error)).toBe('unexpected TypeError');
    expect(describeFetchFailure({ name: 'x\n[FAKE] log line' })).toBe('unexpected error');
    expect(describeFetchFailure('s3cr3t')).toBe('unexpected error');
  });
});
