import { metadataUrls } from '../key-set/discover-jwks-uri';
import { fetchJson, type FetchJsonLimits } from '../key-set/fetch-json';

/**
 * The issuer's `token_endpoint`, from OpenID Connect discovery or RFC 8414 metadata (the same
 * documents, limits and exact-issuer check as JWKS discovery). Rejects when none names one.
 */
export async function discoverTokenEndpoint(
  issuer: string,
  limits: FetchJsonLimits,
): Promise<string> {
  for (const url of metadataUrls(issuer)) {
    let document: unknown;
    try {
      document = await fetchJson(url, limits);
    } catch {
      continue;
    }
    const metadata = (document ?? {}) as { issuer?: unknown; token_endpoint?: unknown };
    if (metadata.issuer !== issuer || typeof metadata.token_endpoint !== 'string') continue;
    const tokenUrl = safeHttpUrl(metadata.token_endpoint);
    if (tokenUrl) return tokenUrl;
  }
  throw new Error(
    `Could not discover the token endpoint of ${issuer} (OpenID Connect or RFC 8414 metadata); ` +
      'pass tokenUrl',
  );
}

function safeHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
