import type { ProcessStats } from '../lib/process-stats';

/** The servers the bench compares. */
export const APP_KINDS = [
  'nest-bare',
  'oauth-jwt',
  'passport-jwt',
  'signature-floor',
  'express-bare',
  'express-oauth2-jwt-bearer',
] as const;
export type AppKind = (typeof APP_KINDS)[number];
export type HttpAdapter = 'express' | 'fastify';

/** What one app child is told to serve (passed as JSON on its command line). */
export interface AppSpec {
  readonly kind: AppKind;
  /** The Nest HTTP adapter; plain Express apps ignore it. */
  readonly adapter: HttpAdapter;
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  /** Our module's verified-token cache (oauth-jwt only). */
  readonly tokenCache: boolean;
  /** The scope the guarded route requires. */
  readonly scope: string;
}

/** Injection token of the AppSpec inside the bench's Nest apps. */
export const APP_SPEC = 'BENCH:APP_SPEC';

/** Every app answers both routes with this body. */
export const BENCH_BODY = { ok: true } as const;

/** What the parent can ask an app child. */
export type AppRpc = {
  /** `{ gc: true }`: after a full garbage collection. */
  stats: { arg: { gc: boolean }; result: ProcessStats };
  profileStart: { arg: null; result: null };
  /** Stops the profiler and writes the profile to the given path. */
  profileStop: { arg: string; result: null };
};

/** What an app child reports once it listens. */
export interface AppReady {
  readonly port: number;
}

export function parseAppSpec(json: string | undefined): AppSpec {
  const spec = JSON.parse(json ?? 'null') as Partial<AppSpec> | null;
  if (
    !spec ||
    !(APP_KINDS as readonly unknown[]).includes(spec.kind) ||
    (spec.adapter !== 'express' && spec.adapter !== 'fastify') ||
    typeof spec.issuer !== 'string' ||
    typeof spec.audience !== 'string' ||
    typeof spec.jwksUri !== 'string' ||
    typeof spec.tokenCache !== 'boolean' ||
    typeof spec.scope !== 'string'
  ) {
    throw new Error('Usage: serve.js <AppSpec as JSON> (started by bench/run)');
  }
  return spec as AppSpec;
}
