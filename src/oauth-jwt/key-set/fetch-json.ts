/** Why a key-set or discovery fetch failed (for logs and health; never shown to clients). */
export type FetchFailure =
  | 'timeout'
  | 'network'
  | 'status'
  | 'too_large'
  | 'not_json'
  /** Discovery metadata for another issuer, or without a usable `jwks_uri`. */
  | 'bad_metadata'
  /** A JWKS with no key we may verify with. */
  | 'no_usable_keys';

/** A failed fetch of a JWKS or discovery document. */
export class KeySetFetchError extends Error {
  constructor(
    readonly failure: FetchFailure,
    readonly url: string,
    readonly status?: number,
  ) {
    super(`Fetching ${url} failed: ${failure}${status === undefined ? '' : ` (HTTP ${status})`}`);
    this.name = 'KeySetFetchError';
  }
}

export interface FetchJsonLimits {
  /** Total time for the whole exchange, headers and body. */
  timeoutMs: number;
  /** Largest body accepted. */
  maxResponseBytes: number;
}

/**
 * GETs a JSON document with a total timeout (not only an idle one) and a size limit, so a slow or
 * hostile endpoint can neither hang key fetching nor fill memory.
 */
export async function fetchJson(url: string, limits: FetchJsonLimits): Promise<unknown> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, {
      signal,
      headers: { accept: 'application/json' },
      redirect: 'follow',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new KeySetFetchError('status', url, response.status);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > limits.maxResponseBytes) {
      await response.body?.cancel();
      throw new KeySetFetchError('too_large', url);
    }
    const text = await readLimited(response, limits.maxResponseBytes, url);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KeySetFetchError('not_json', url);
    }
  } catch (error) {
    if (error instanceof KeySetFetchError) throw error;
    throw new KeySetFetchError(signal.aborted ? 'timeout' : 'network', url);
  }
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    const value = chunk.value;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new KeySetFetchError('too_large', url);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
