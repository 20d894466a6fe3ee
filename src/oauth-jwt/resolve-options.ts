import { createHash } from 'node:crypto';
import type { ClientResolveFn } from './client-resolver.interface';
import { OAuthJwtConfigurationError } from './errors/oauth-jwt-configuration.error';
import { resolveIssuers } from './issuers/resolve-issuers';
import type { AuthEvent, AuthEventEmitter } from './events/auth-event.interface';
import { normalizeTokenType } from './token/decode-jose-header';
import {
  OPTIONS_TABLE,
  type BooleanOptionName,
  type BooleanRow,
  type EnumRow,
  type GroupOptionName,
  type NumberOptionName,
  type NumberRow,
  type OptionName,
} from './oauth-jwt-options.table';
import type {
  ClientCacheKey,
  OAuthJwtModuleOptions,
  ResolvedIssuer,
  ResolvedOAuthJwtOptions,
} from './oauth-jwt-options.interface';

/** Top-level option names, and each group's nested names, from the one options table. */
const TABLE_NAMES = Object.keys(OPTIONS_TABLE) as OptionName[];
const KNOWN_OPTIONS = new Set<string>(TABLE_NAMES.filter((name) => !name.includes('.')));

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
  const issuers = resolveIssuers(options);
  // The first issuer's settings are also the top-level ones (the single-issuer shorthand).
  const primary = issuers[0] as ResolvedIssuer;
  const { issuer, audience, jwksUri, algorithms, scopeClaims } = primary;
  const clockToleranceSeconds = numberOption(
    'clockToleranceSeconds',
    options.clockToleranceSeconds,
  );
  const maxTokenAgeSeconds = numberOrNone('maxTokenAgeSeconds', options.maxTokenAgeSeconds);
  const realm = options.realm ?? OPTIONS_TABLE.realm.default;
  if (typeof realm !== 'string' || !HEADER_SAFE.test(realm)) {
    throw new OAuthJwtConfigurationError(
      'realm',
      'must be printable ASCII without quotes or backslashes',
    );
  }
  const tokenTypes = resolveTokenTypes(options.tokenTypes);
  const clientResolver = resolveClientResolver(options.clientResolver);
  const keySet = options.keySet ?? {};
  const tokenCache = options.tokenCache ?? {};
  const clientCache = options.clientCache ?? {};
  groupOption('keySet', keySet);
  groupOption('tokenCache', tokenCache);
  groupOption('clientCache', clientCache);
  const clientCredentialsOnly = booleanOption(
    'clientCredentialsOnly',
    options.clientCredentialsOnly,
  );
  const requireRfc9068 = booleanOption('requireRfc9068', options.requireRfc9068);

  const validationFingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        // Every issuer's validation settings; a secret only by its digest.
        issuers.map((trusted) => ({
          ...trusted,
          secret: trusted.secret && createHash('sha256').update(trusted.secret).digest('base64'),
        })),
        clientCredentialsOnly,
        requireRfc9068,
        clockToleranceSeconds,
        maxTokenAgeSeconds,
        scopeClaims,
        tokenTypes,
      ]),
    )
    .digest('base64url');

  return Object.freeze({
    issuers,
    clientCredentialsOnly,
    requireRfc9068,
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
    clientResolverTimeoutMs: numberOption(
      'clientResolverTimeoutMs',
      options.clientResolverTimeoutMs,
    ),
    keySet: Object.freeze({
      cacheMaxAgeSeconds: numberOption('keySet.cacheMaxAgeSeconds', keySet.cacheMaxAgeSeconds),
      cooldownSeconds: numberOption('keySet.cooldownSeconds', keySet.cooldownSeconds),
      staleMaxAgeSeconds: numberOption('keySet.staleMaxAgeSeconds', keySet.staleMaxAgeSeconds),
      timeoutMs: numberOption('keySet.timeoutMs', keySet.timeoutMs),
      maxResponseBytes: numberOption('keySet.maxResponseBytes', keySet.maxResponseBytes),
      warmUp: booleanOption('keySet.warmUp', keySet.warmUp),
    }),
    tokenCache: Object.freeze({
      enabled: booleanOption('tokenCache.enabled', tokenCache.enabled),
      maxEntries: numberOption('tokenCache.maxEntries', tokenCache.maxEntries),
      maxBytes: numberOption('tokenCache.maxBytes', tokenCache.maxBytes),
      maxTtlSeconds: numberOption('tokenCache.maxTtlSeconds', tokenCache.maxTtlSeconds),
    }),
    clientCache: Object.freeze({
      ttlSeconds: numberOption('clientCache.ttlSeconds', clientCache.ttlSeconds),
      maxEntries: numberOption('clientCache.maxEntries', clientCache.maxEntries),
      keyBy: enumOption('clientCache.keyBy', clientCache.keyBy) as ClientCacheKey,
    }),
    onAuthEvent: resolveAuthEventHook(options.onAuthEvent),
    eventEmitter: resolveEventEmitter(options.eventEmitter),
    logRefusals: booleanOption('logRefusals', options.logRefusals),
    validationFingerprint,
  });
}

function resolveTokenTypes(value: unknown): readonly string[] {
  value ??= OPTIONS_TABLE.tokenTypes.default;
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

/** A number option: its default when absent, else within the table's bounds. */
function numberOption(name: NumberOptionName, value: unknown): number {
  const resolved = numberOrNone(name, value);
  if (resolved === undefined) throw new Error(`options table: ${name} has no default`);
  return resolved;
}

function numberOrNone(name: NumberOptionName, value: unknown): number | undefined {
  const row: NumberRow = OPTIONS_TABLE[name];
  if (value === undefined) return row.default;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < row.min ||
    value > row.max ||
    (row.integer && !Number.isInteger(value))
  ) {
    const kind = row.integer ? 'an integer' : 'a number';
    throw new OAuthJwtConfigurationError(
      name,
      `must be ${kind} from ${String(row.min)} to ${String(row.max)}`,
    );
  }
  return value;
}

function enumOption(name: 'clientCache.keyBy', value: unknown): string {
  const row: EnumRow = OPTIONS_TABLE[name];
  if (value === undefined) return row.default;
  if (typeof value !== 'string' || !row.values.includes(value)) {
    const allowed = row.values.map((allowedValue) => `'${allowedValue}'`).join(', ');
    throw new OAuthJwtConfigurationError(name, `must be one of ${allowed}`);
  }
  return value;
}

function booleanOption(name: BooleanOptionName, value: unknown): boolean {
  const row: BooleanRow = OPTIONS_TABLE[name];
  if (value === undefined) return row.default;
  if (typeof value !== 'boolean') throw new OAuthJwtConfigurationError(name, 'must be a boolean');
  return value;
}

/** A group of nested options: an object whose keys are all in the table. */
function groupOption(name: GroupOptionName, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OAuthJwtConfigurationError(name, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!TABLE_NAMES.includes(`${name}.${key}` as OptionName)) {
      throw new OAuthJwtConfigurationError(`${name}.${key}`, 'is not a known option');
    }
  }
}
