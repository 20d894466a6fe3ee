import type { DestinationStream } from 'pino';
import { AppConfigError } from './app-config';

/** Per-partner quotas and the per-IP limit on failed authentications. */
export interface QuotaConfig {
  /**
   * Requests per minute of a partner without its own `rateLimitPerMinute`; 0: such partners are
   * unlimited (a partner's own limit still applies).
   */
  readonly partnerRateLimit: number;
  /** Failed authentications per minute from one client IP before further attempts get 429; 0: off. */
  readonly authFailureLimit: number;
}

/** Structured request logs (nestjs-pino). */
export interface LoggingConfig {
  readonly level: LogLevelName;
  /** Where the JSON lines go. @default stdout */
  readonly destination?: DestinationStream;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** What running several instances needs: quotas, the shared Redis, logs. */
export interface ScaleConfig {
  /** Absent: no quotas at all, not even a partner's own limit (the e2e apps). */
  readonly quota?: QuotaConfig;
  /** `redis://…`: quotas and partner change signals shared by every instance. */
  readonly redisUrl?: string;
  /** Absent: no request logs (the e2e apps). */
  readonly logging?: LoggingConfig;
}

/** Requests per minute per partner when PARTNER_RATE_LIMIT is unset. */
export const DEFAULT_PARTNER_RATE_LIMIT = 600;
/** Failed authentications per minute per client IP when AUTH_FAILURE_LIMIT is unset. */
export const DEFAULT_AUTH_FAILURE_LIMIT = 60;

/** What an app built without a ScaleConfig runs with: no quota, no Redis, no request logs. */
export const NO_SCALE_FEATURES: ScaleConfig = {};

/** Reads PARTNER_RATE_LIMIT, AUTH_FAILURE_LIMIT, REDIS_URL and LOG_LEVEL. */
export function loadScaleConfig(env: NodeJS.ProcessEnv = process.env): ScaleConfig {
  const redisUrl = redisUrlOf(env);
  return {
    quota: {
      partnerRateLimit: perMinute(env, 'PARTNER_RATE_LIMIT', DEFAULT_PARTNER_RATE_LIMIT),
      authFailureLimit: perMinute(env, 'AUTH_FAILURE_LIMIT', DEFAULT_AUTH_FAILURE_LIMIT),
    },
    ...(redisUrl ? { redisUrl } : {}),
    logging: { level: logLevelOf(env) },
  };
}

function perMinute(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new AppConfigError(name, 'must be a whole number of requests per minute, 0 or more');
  }
  return value;
}

function redisUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['REDIS_URL']?.trim();
  if (!raw) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new AppConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new AppConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  return raw;
}

function logLevelOf(env: NodeJS.ProcessEnv): LogLevelName {
  const raw = env['LOG_LEVEL']?.trim() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new AppConfigError('LOG_LEVEL', `must be one of: ${LOG_LEVELS.join(', ')}`);
  }
  return raw as LogLevelName;
}
