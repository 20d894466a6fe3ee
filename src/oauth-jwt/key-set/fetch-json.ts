/** Why a key-set or discovery fetch failed (for logs and health; never shown to clients). */
export type FetchFailure =
  | 'timeout'
  /** No HTTP answer: DNS, refused or dropped connection (`networkCode` says which, when known). */
  | 'network'
  | 'status'
  /** A redirect to another origin (so also https → http), or more than MAX_REDIRECTS. */
  | 'redirect'
  | 'too_large'
  | 'not_json'
  /** JSON, but not a JWKS (no `keys` array). */
  | 'not_jwks'
  /** Discovery metadata for another issuer, or without a usable `jwks_uri`. */
  | 'bad_metadata'
  /** A JWKS with no key we may verify with. */
  | 'no_usable_keys';

export interface KeySetFetchErrorDetails {
  /** The HTTP status of a `status` failure. */
  readonly status?: number;
  /** Node's system error code of a `network` failure (ECONNREFUSED, ENOTFOUND, ...). */
  readonly networkCode?: string;
}

/** A failed fetch of a JWKS or discovery document. */
export class KeySetFetchError extends Error {
  /** Where the fetch went: origin and path only, since a query may carry credentials. */
  readonly url: string;
  readonly status: number | undefined;
  readonly networkCode: string | undefined;

  constructor(
    readonly failure: FetchFailure,
    url: string,
    details: KeySetFetchErrorDetails = {},
  ) {
    const where = withoutQuery(url);
    const { status, networkCode } = details;
    super(
      `Fetching ${where} failed: ${failure}` +
        (status === undefined ? '' : ` (HTTP ${String(status)})`) +
        (networkCode === undefined ? '' : ` (${networkCode})`),
    );
    this.name = 'KeySetFetchError';
    this.url = where;
    this.status = status;
    this.networkCode = networkCode;
  }
}

export interface FetchJsonLimits {
  /** Total time for the whole exchange, redirects, headers and body. */
  timeoutMs: number;
  /** Largest body accepted. */
  maxResponseBytes: number;
}

/** Same-origin redirects followed per fetch; one more is a `redirect` failure. */
export const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** What a Node system error code looks like; anything else is not repeated in a log. */
const SYSTEM_ERROR_CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * GETs a JSON document with a total timeout (not only an idle one) and a size limit, so a slow or
 * hostile endpoint can neither hang key fetching nor fill memory. Redirects are followed only
 * within the URL's origin, at most MAX_REDIRECTS times: a redirect may not hand key fetching to
 * another host or downgrade it from https to http.
 */
export async function fetchJson(url: string, limits: FetchJsonLimits): Promise<unknown> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetchWithinOrigin(url, signal);
    if (!response.ok) {
      await response.body?.cancel();
      throw new KeySetFetchError('status', url, { status: response.status });
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
    if (signal.aborted) throw new KeySetFetchError('timeout', url);
    const networkCode = systemErrorCodeOf(error);
    throw new KeySetFetchError('network', url, networkCode === undefined ? {} : { networkCode });
  }
}

/**
 * The target of a redirect from `from`, when it stays on `from`'s origin (scheme, host and port:
 * so never from https to http); undefined otherwise.
 */
export function sameOriginRedirect(from: URL, location: string | null): URL | undefined {
  if (location === null || !URL.canParse(location, from.href)) return undefined;
  const target = new URL(location, from);
  return target.origin === from.origin ? target : undefined;
}

async function fetchWithinOrigin(url: string, signal: AbortSignal): Promise<Response> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects += 1) {
    const response = await fetch(current, {
      signal,
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    await response.body?.cancel();
    const target = sameOriginRedirect(current, response.headers.get('location'));
    if (target === undefined || redirects === MAX_REDIRECTS) {
      throw new KeySetFetchError('redirect', url);
    }
    current = target;
  }
}

/**
 * Node's fetch rejects with TypeError('fetch failed') whose `cause` carries the system error code.
 * Read by shape, not `instanceof`: Node-core errors fail `instanceof Error` under Jest.
 */
function systemErrorCodeOf(error: unknown): string | undefined {
  const cause: unknown =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const code: unknown =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && SYSTEM_ERROR_CODE.test(code) ? code : undefined;
}

/** Origin and path of a URL: a query or user-info may carry credentials, so they never reach a log. */
function withoutQuery(url: string): string {
  if (!URL.canParse(url)) return '(an invalid URL)';
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname}`;
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
