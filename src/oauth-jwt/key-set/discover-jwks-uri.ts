import { fetchJson, KeySetFetchError, type FetchJsonLimits } from './fetch-json';

/**
 * Finds the issuer's `jwks_uri`: OpenID Connect discovery first, then RFC 8414 authorization
 * server metadata. The document must name the configured issuer exactly (RFC 8414 §3.3), or a
 * metadata endpoint could steer us to keys of another issuer.
 */
export async function discoverJwksUri(issuer: string, limits: FetchJsonLimits): Promise<string> {
  let lastError: unknown;
  for (const url of metadataUrls(issuer)) {
    try {
      return jwksUriFrom(await fetchJson(url, limits), issuer, url);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** OpenID Connect appends the well-known path; RFC 8414 inserts it before the issuer's path. */
export function metadataUrls(issuer: string): string[] {
  const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const rfc8414 = `${url.origin}/.well-known/oauth-authorization-server${path}`;
  return [...new Set([`${base}/.well-known/openid-configuration`, rfc8414])];
}

function jwksUriFrom(document: unknown, issuer: string, url: string): string {
  const metadata = (typeof document === 'object' && document !== null ? document : {}) as {
    issuer?: unknown;
    jwks_uri?: unknown;
  };
  if (metadata.issuer !== issuer || typeof metadata.jwks_uri !== 'string') {
    throw new KeySetFetchError('bad_metadata', url);
  }
  const jwksUri = URL.canParse(metadata.jwks_uri) ? new URL(metadata.jwks_uri) : undefined;
  if (jwksUri?.protocol !== 'https:' && jwksUri?.protocol !== 'http:') {
    throw new KeySetFetchError('bad_metadata', url);
  }
  return jwksUri.href;
}
