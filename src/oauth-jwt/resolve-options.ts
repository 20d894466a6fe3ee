import { createHash } from 'node:crypto';
import type { ClientResolveFn } from './client-resolver.interface';
import { OAuthJwtConfigurationError } from './errors/oauth-jwt-configuration.error';
import type { AuthEvent, AuthEventEmitter } from './events/auth-event.interface';
import { normalizeTokenType } from './token/decode-jose-header';
import {
  SUPPORTED_ALGORITHMS,
  type OAuthJwtModuleOptions,
  type ResolvedOAuthJwtOptions,
  type SupportedAlgorithm,
} from './oauth-jwt-options.interface';

const KNOWN_OPTIONS = new Set<string>([
  'issuer',
  'audience',
  'jwksUri',
  'algorithms',
  'clockToleranceSeconds',
  'maxTokenAgeSeconds',
  'realm',
  'scopeClaims',
  'tokenTypes',
  'clientResolver',
  'clientResolverTimeoutMs',
  'keySet',
  'tokenCache',
  'clientCache',
  'onAuthEvent',
  'eventEmitter',
  'logRefusals',
]);

const KNOWN_NESTED_OPTIONS = {
  keySet: [
    'cacheMaxAgeSeconds',
    'cooldownSeconds',
    'staleMaxAgeSeconds',
    'timeoutMs',
    'maxResponseBytes',
    'warmUp',
  ],
  tokenCache: ['enabled', 'maxEntries', 'maxBytes', 'maxTtlSeconds'],
  clientCache: ['ttlSeconds', 'maxEntries', 'keyBy'],
} as const;

/** A quoted-string value safe in a header: printable ASCII without `"` and `\`. */
const HEADER_SAFE = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * Applies defaults to the module options and validates them, failing fast with an error that
 * names the option. Used by forRoot and forRootAsync alike (it runs in a provider factory).
 */
export function resolveOAuthJwtOptions(options: OAuthJwtModuleOptions): ResolvedOAuthJwtOptions {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new OAuthJwtConfigurationError('options', 'must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new OAuthJwtConfigurationError(key, 'is not a known option');
  }
  const issuer = httpUrl('issuer', options.issuer, true);
  const audience = nonEmptyStrings('audience', options.audience, true);
  const jwksUri = options.jwksUri === undefined ? undefined : httpUrl('jwksUri', options.jwksUri);
  const algorithms = resolveAlgorithms(options.algorithms);
  const clockToleranceSeconds = numberIn(
    'clockToleranceSeconds',
    options.clockToleranceSeconds,
    5,
    0,
    300,
  );
  const maxTokenAgeSeconds =
    options.maxTokenAgeSeconds === undefined
      ? undefined
      : numberIn('maxTokenAgeSeconds', options.maxTokenAgeSeconds, 0, 1, 31_536_000);
  const realm = options.realm ?? 'api';
  if (typeof realm !== 'string' || !HEADER_SAFE.test(realm)) {
    throw new OAuthJwtConfigurationError(
      'realm',
      'must be printable ASCII without quotes or backslashes',
    );
  }
  const scopeClaims = nonEmptyStrings(
    'scopeClaims',
    options.scopeClaims ?? ['scope', 'scp', 'permissions'],
  );
  const tokenTypes = resolveTokenTypes(options.tokenTypes);
  const clientResolver = resolveClientResolver(options.clientResolver);
  const keySet = options.keySet ?? {};
  const tokenCache = options.tokenCache ?? {};
  const clientCache = options.clientCache ?? {};
  objectOption('keySet', keySet);
  objectOption('tokenCache', tokenCache);
  objectOption('clientCache', clientCache);

  const validationFingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        issuer,
        audience,
        algorithms,
        clockToleranceSeconds,
        maxTokenAgeSeconds,
        scopeClaims,
        tokenTypes,
      ]),
    )
    .digest('base64url');

  return Object.freeze({
    issuer,
    audience,
    jwksUri,
    algorithms,
    clockToleranceSeconds,
    maxTokenAgeSeconds,
    realm,
    scopeClaims,
    tokenTypes,
    clientResolver,
    // A timer's delay: an integer number of milliseconds.
    clientResolverTimeoutMs: numberIn(
      'clientResolverTimeoutMs',
      options.clientResolverTimeoutMs,
      5_000,
      1,
      60_000,
      true,
    ),
    keySet: Object.freeze({
      cacheMaxAgeSeconds: numberIn(
        'keySet.cacheMaxAgeSeconds',
        keySet.cacheMaxAgeSeconds,
        600,
        1,
        86_400,
      ),
      cooldownSeconds: numberIn('keySet.cooldownSeconds', keySet.cooldownSeconds, 30, 0, 3_600),
      staleMaxAgeSeconds: numberIn(
        'keySet.staleMaxAgeSeconds',
        keySet.staleMaxAgeSeconds,
        3_600,
        0,
        604_800,
      ),
      // AbortSignal.timeout() throws for a fractional delay: an integer, or every fetch fails.
      timeoutMs: numberIn('keySet.timeoutMs', keySet.timeoutMs, 5_000, 1, 60_000, true),
      maxResponseBytes: numberIn(
        'keySet.maxResponseBytes',
        keySet.maxResponseBytes,
        524_288,
        1_024,
        16_777_216,
      ),
      warmUp: booleanOption('keySet.warmUp', keySet.warmUp, false),
    }),
    tokenCache: Object.freeze({
      enabled: booleanOption('tokenCache.enabled', tokenCache.enabled, true),
      maxEntries: numberIn(
        'tokenCache.maxEntries',
        tokenCache.maxEntries,
        10_000,
        1,
        10_000_000,
        true,
      ),
      maxBytes: numberIn(
        'tokenCache.maxBytes',
        tokenCache.maxBytes,
        33_554_432,
        65_536,
        4_294_967_296,
        true,
      ),
      maxTtlSeconds: numberIn('tokenCache.maxTtlSeconds', tokenCache.maxTtlSeconds, 300, 1, 86_400),
    }),
    clientCache: Object.freeze({
      ttlSeconds: numberIn('clientCache.ttlSeconds', clientCache.ttlSeconds, 30, 0, 86_400),
      maxEntries: numberIn(
        'clientCache.maxEntries',
        clientCache.maxEntries,
        1_000,
        1,
        10_000_000,
        true,
      ),
      keyBy: oneOf('clientCache.keyBy', clientCache.keyBy, ['claims', 'clientId'], 'claims'),
    }),
    onAuthEvent: resolveAuthEventHook(options.onAuthEvent),
    eventEmitter: resolveEventEmitter(options.eventEmitter),
    logRefusals: booleanOption('logRefusals', options.logRefusals, true),
    validationFingerprint,
  });
}

function httpUrl(option: string, value: unknown, exact = false): string {
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

function nonEmptyStrings(option: string, value: unknown, allowSingle = false): readonly string[] {
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

function resolveAlgorithms(value: unknown): readonly SupportedAlgorithm[] {
  const list = nonEmptyStrings('algorithms', value ?? ['RS256']);
  for (const alg of list) {
    if (alg.toLowerCase() === 'none') {
      throw new OAuthJwtConfigurationError('algorithms', '"none" is never allowed');
    }
    if (/^HS/i.test(alg)) {
      throw new OAuthJwtConfigurationError(
        'algorithms',
        `${alg} is symmetric and cannot be verified with a JWKS`,
      );
    }
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new OAuthJwtConfigurationError(
        'algorithms',
        `${alg} is not supported (allowed: ${SUPPORTED_ALGORITHMS.join(', ')})`,
      );
    }
  }
  return list as readonly SupportedAlgorithm[];
}

function resolveTokenTypes(value: unknown): readonly string[] {
  if (value === undefined) return Object.freeze(['at+jwt', 'jwt']);
  if (
    !Array.isArray(value) ||
    !value.every((t): t is string => typeof t === 'string' && t.length > 0)
  ) {
    throw new OAuthJwtConfigurationError('tokenTypes', 'must be an array of non-empty strings');
  }
  return Object.freeze([...new Set(value.map(normalizeTokenType))]);
}

function resolveClientResolver(value: unknown): ClientResolveFn | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as ClientResolveFn;
  if (typeof value === 'object' && value !== null) {
    const resolver = value as { resolve?: unknown };
    if (typeof resolver.resolve === 'function') {
      const resolve = resolver.resolve as ClientResolveFn;
      return (clientId, claims) => resolve.call(value, clientId, claims);
    }
  }
  throw new OAuthJwtConfigurationError(
    'clientResolver',
    'must be a function or an object with a resolve() method',
  );
}

function resolveAuthEventHook(value: unknown): ((event: AuthEvent) => void) | undefined {
  if (value === undefined || typeof value === 'function')
    return value as ((event: AuthEvent) => void) | undefined;
  throw new OAuthJwtConfigurationError('onAuthEvent', 'must be a function');
}

function resolveEventEmitter(value: unknown): AuthEventEmitter | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { emit?: unknown }).emit === 'function'
  ) {
    return value as AuthEventEmitter;
  }
  throw new OAuthJwtConfigurationError('eventEmitter', 'must have an emit(name, payload) method');
}

function numberIn(
  option: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'an integer' : 'a number';
    throw new OAuthJwtConfigurationError(option, `must be ${kind} from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new OAuthJwtConfigurationError(
      option,
      `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  return value as T;
}

function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new OAuthJwtConfigurationError(option, 'must be a boolean');
  return value;
}

function objectOption(option: keyof typeof KNOWN_NESTED_OPTIONS, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthJwtConfigurationError(option, 'must be an object');
  }
  const known: readonly string[] = KNOWN_NESTED_OPTIONS[option];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new OAuthJwtConfigurationError(`${option}.${key}`, 'is not a known option');
    }
  }
}
