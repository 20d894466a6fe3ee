import { readFileSync } from 'node:fs';
import {
  PROVIDER_PROFILES,
  type OAuthJwtModuleOptions,
  type ProviderProfile,
  type TrustedIssuerOptions,
} from '../oauth-jwt';
import type { DatabaseSettings } from '../database/database';
import {
  PARTNER_STATUSES,
  type PartnerSeed,
  type PartnerStatus,
} from '../partners/partner.interface';

/** Everything the sample app needs, read from the environment by loadAppConfig (or given by tests). */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly audience: string | string[];
  readonly jwksUri?: string;
  /** OAUTH_PROFILE: the provider profile (the module's default, `generic`, when absent). */
  readonly profile?: ProviderProfile;
  /** OAUTH_HS256_SECRET: a shared secret instead of the issuer's JWKS. */
  readonly secret?: string;
  /** OAUTH_ISSUERS: several trusted issuers, instead of issuer / audience / jwksUri. */
  readonly issuers?: readonly TrustedIssuerOptions[];
  /**
   * The RFC 9728 resource identifier whose metadata the API publishes (RESOURCE_URL, else the
   * first audience when it is an http(s) URL); none: no metadata.
   */
  readonly resource?: string;
  /** Partners written to the registry at start-up (PARTNERS_FILE, or the demo's). */
  readonly partners: readonly PartnerSeed[];
  /**
   * Where partners and users live: PostgreSQL (DATABASE_URL) or PGlite under DATA_DIR. Absent:
   * in memory, for tests that use the app as an HTTP fixture only; loadAppConfig always sets it.
   */
  readonly database?: DatabaseSettings;
  /** Further module options (tests tune the key set with it). */
  readonly oauth?: Partial<
    Omit<
      OAuthJwtModuleOptions,
      'issuer' | 'audience' | 'jwksUri' | 'secret' | 'issuers' | 'profile' | 'clientResolver'
    >
  >;
}

/** Configuration error naming the environment variable at fault. */
export class AppConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid environment: ${variable} ${problem}`);
    this.name = 'AppConfigError';
  }
}

/**
 * Reads RESOURCE_URL (optional), PORT, HOST, OAUTH_ISSUER, OAUTH_AUDIENCE (comma-separated for several), OAUTH_JWKS_URI
 * (optional: discovered when absent), OAUTH_PROFILE, OAUTH_HS256_SECRET (instead of the JWKS),
 * or OAUTH_ISSUERS (a JSON array of issuers, instead of the three), PARTNERS_FILE, and the
 * database (see databaseSettings). The module validates the OAuth values themselves at start-up,
 * naming the option.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const profile = profileOf(env);
  const secret = env['OAUTH_HS256_SECRET'] || undefined;
  if (env['OAUTH_ISSUERS']) {
    for (const name of ['OAUTH_ISSUER', 'OAUTH_AUDIENCE', 'OAUTH_JWKS_URI', 'OAUTH_HS256_SECRET']) {
      if (env[name]) throw new AppConfigError(name, 'cannot be combined with OAUTH_ISSUERS');
    }
    const issuers = issuersOf(env['OAUTH_ISSUERS']);
    return {
      port: portOf(env),
      host: env['HOST'] || '127.0.0.1',
      // The first issuer names the sample's own links (docs); the module trusts every one.
      issuer: issuers[0]?.issuer ?? '',
      audience: issuers[0]?.audience ?? [],
      issuers,
      ...resourceOf(env, issuers[0]?.audience ?? []),
      ...(profile ? { profile } : {}),
      partners: loadPartners(required(env, 'PARTNERS_FILE')),
      database: databaseSettings(env),
    };
  }
  const issuer = required(env, 'OAUTH_ISSUER');
  const audience = required(env, 'OAUTH_AUDIENCE')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (audience.length === 0)
    throw new AppConfigError('OAUTH_AUDIENCE', 'must name at least one audience');
  const jwksUri = env['OAUTH_JWKS_URI'] || undefined;
  return {
    port: portOf(env),
    host: env['HOST'] || '127.0.0.1',
    issuer,
    audience,
    ...(jwksUri ? { jwksUri } : {}),
    ...(profile ? { profile } : {}),
    ...(secret ? { secret } : {}),
    ...resourceOf(env, audience),
    partners: loadPartners(required(env, 'PARTNERS_FILE')),
    database: databaseSettings(env),
  };
}

/** RESOURCE_URL, else the first audience if it is an http(s) URL (the module validates it). */
function resourceOf(env: NodeJS.ProcessEnv, audience: string | readonly string[]) {
  const first = typeof audience === 'string' ? audience : audience[0];
  const resource = env['RESOURCE_URL'] || (first && /^https?:\/\//.test(first) ? first : '');
  return resource ? { resource } : {};
}

function profileOf(env: NodeJS.ProcessEnv): ProviderProfile | undefined {
  const value = env['OAUTH_PROFILE'];
  if (!value) return undefined;
  if (!(PROVIDER_PROFILES as readonly string[]).includes(value)) {
    throw new AppConfigError('OAUTH_PROFILE', `must be one of ${PROVIDER_PROFILES.join(', ')}`);
  }
  return value as ProviderProfile;
}

/** OAUTH_ISSUERS: `[{ "issuer", "audience", "jwksUri"?, "profile"? }, …]`. */
function issuersOf(raw: string): TrustedIssuerOptions[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppConfigError('OAUTH_ISSUERS', 'is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new AppConfigError('OAUTH_ISSUERS', 'must be a non-empty JSON array of issuers');
  }
  return parsed.map((entry: unknown, index) => {
    const { issuer, audience } = (entry ?? {}) as { issuer?: unknown; audience?: unknown };
    if (typeof issuer !== 'string' || (typeof audience !== 'string' && !Array.isArray(audience))) {
      throw new AppConfigError(
        'OAUTH_ISSUERS',
        `entry ${String(index)} needs an "issuer" and an "audience"`,
      );
    }
    return entry as TrustedIssuerOptions;
  });
}

/** The default DATA_DIR: `./data` under the working directory (git-ignored). */
export const DEFAULT_DATA_DIR = './data';

/**
 * DATABASE_URL (`postgres://...` or `postgresql://...`): that PostgreSQL server. Unset: the embedded
 * database under DATA_DIR (default ./data), created on first start.
 */
export function databaseSettings(env: NodeJS.ProcessEnv): DatabaseSettings {
  const url = env['DATABASE_URL']?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new AppConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
    }
    return { url };
  }
  return { dataDir: dataDirOf(env) };
}

/** DATA_DIR, or ./data. */
export function dataDirOf(env: NodeJS.ProcessEnv): string {
  return env['DATA_DIR']?.trim() || DEFAULT_DATA_DIR;
}

export function portOf(env: NodeJS.ProcessEnv): number {
  const raw = env['PORT'] ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppConfigError('PORT', 'must be a port number (0-65535)');
  }
  return port;
}

/**
 * PARTNERS_FILE: a JSON array of `{ "clientId": "...", "name": "..." }`, each optionally with
 * `"scopes": ["..."]` (the granted scopes), `"status": "active" | "suspended"` and
 * `"rateLimitPerMinute": n` (its own quota instead of PARTNER_RATE_LIMIT).
 */
export function loadPartners(file: string): PartnerSeed[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new AppConfigError('PARTNERS_FILE', `${reason} (${file})`);
  }
  if (!Array.isArray(parsed)) {
    throw new AppConfigError('PARTNERS_FILE', 'must hold a JSON array of partners');
  }
  return parsed.map((entry: unknown, index) => {
    const { clientId, name, scopes, status, rateLimitPerMinute } = (entry ?? {}) as Record<
      string,
      unknown
    >;
    if (
      typeof clientId !== 'string' ||
      clientId === '' ||
      typeof name !== 'string' ||
      name === ''
    ) {
      throw new AppConfigError(
        'PARTNERS_FILE',
        `entry ${index} needs a non-empty "clientId" and "name"`,
      );
    }
    return {
      clientId,
      name,
      ...(scopes === undefined ? {} : { scopes: scopesOf(scopes, index) }),
      ...(status === undefined ? {} : { status: statusOf(status, index) }),
      ...(rateLimitPerMinute === undefined
        ? {}
        : { rateLimitPerMinute: rateLimitOf(rateLimitPerMinute, index) }),
    };
  });
}

/** RFC 6749 scope-token: printable ASCII but space, `"` and `\\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function scopesOf(value: unknown, index: number): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new AppConfigError('PARTNERS_FILE', `entry ${index} "scopes" must be an array of scopes`);
  }
  return [...new Set(value as string[])];
}

/** The most a partner's own limit may be: a sane requests-a-minute figure, an int4 column. */
export const MAX_PARTNER_RATE_LIMIT = 1_000_000;

/** A partner's own requests a minute: an integer from 1 to MAX_PARTNER_RATE_LIMIT. */
export function isPartnerRateLimit(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 1 &&
    value <= MAX_PARTNER_RATE_LIMIT
  );
}

function rateLimitOf(value: unknown, index: number): number {
  if (!isPartnerRateLimit(value)) {
    throw new AppConfigError(
      'PARTNERS_FILE',
      `entry ${index} "rateLimitPerMinute" must be an integer from 1 to ${MAX_PARTNER_RATE_LIMIT}`,
    );
  }
  return value;
}

function statusOf(value: unknown, index: number): PartnerStatus {
  if (!PARTNER_STATUSES.includes(value as PartnerStatus)) {
    throw new AppConfigError(
      'PARTNERS_FILE',
      `entry ${index} "status" must be one of ${PARTNER_STATUSES.join(', ')}`,
    );
  }
  return value as PartnerStatus;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new AppConfigError(name, 'is required');
  return value.trim();
}
