import { readFileSync } from 'node:fs';
import type { OAuthJwtModuleOptions } from '../oauth-jwt';
import type { Partner } from '../partners/partner.interface';

/** Everything the sample app needs, read from the environment by loadAppConfig (or given by tests). */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly audience: string | string[];
  readonly jwksUri?: string;
  readonly partners: readonly Partner[];
  /** Further module options (tests tune the key set with it). */
  readonly oauth?: Partial<
    Omit<OAuthJwtModuleOptions, 'issuer' | 'audience' | 'jwksUri' | 'clientResolver'>
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
 * Reads PORT, HOST, OAUTH_ISSUER, OAUTH_AUDIENCE (comma-separated for several), OAUTH_JWKS_URI
 * (optional: discovered when absent) and PARTNERS_FILE.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
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
    partners: loadPartners(required(env, 'PARTNERS_FILE')),
  };
}

export function portOf(env: NodeJS.ProcessEnv): number {
  const raw = env['PORT'] ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppConfigError('PORT', 'must be a port number (0-65535)');
  }
  return port;
}

/** PARTNERS_FILE: a JSON array of `{ "clientId": "...", "name": "..." }`. */
export function loadPartners(file: string): Partner[] {
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
    const { clientId, name } = (entry ?? {}) as { clientId?: unknown; name?: unknown };
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
    return { clientId, name };
  });
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new AppConfigError(name, 'is required');
  return value.trim();
}
