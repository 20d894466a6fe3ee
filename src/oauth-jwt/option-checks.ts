import { OAuthJwtConfigurationError } from './errors/oauth-jwt-configuration.error';

/** Checks shared by resolve-options.ts and issuers/resolve-issuers.ts; each names the option. */

export function httpUrl(option: string, value: unknown, exact = false): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new OAuthJwtConfigurationError(option, 'must be a non-empty URL string');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthJwtConfigurationError(option, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OAuthJwtConfigurationError(option, 'must be an absolute http(s) URL');
  }
  if (exact && (url.search !== '' || url.hash !== '')) {
    throw new OAuthJwtConfigurationError(option, 'must not have a query or fragment');
  }
  return value;
}

export function nonEmptyStrings(
  option: string,
  value: unknown,
  allowSingle = false,
): readonly string[] {
  const list: unknown = allowSingle && typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item): item is string => typeof item === 'string' && item.length > 0)
  ) {
    const shape = allowSingle
      ? 'a non-empty string or a non-empty array of them'
      : 'a non-empty array of non-empty strings';
    throw new OAuthJwtConfigurationError(option, `must be ${shape}`);
  }
  return Object.freeze([...new Set(list)]);
}
