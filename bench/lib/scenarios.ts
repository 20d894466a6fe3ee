import type { AppKind, HttpAdapter } from '../apps/app-spec';

/** One server process of the comparison. */
export interface AppDef {
  readonly id: string;
  readonly label: string;
  readonly kind: AppKind;
  readonly adapter: HttpAdapter;
  readonly tokenCache: boolean;
}

/** One measured endpoint: an app, a route and what the client sends. */
export interface CaseDef {
  readonly id: string;
  readonly app: AppDef;
  readonly route: 'public' | 'guarded';
  readonly auth: 'none' | 'one' | 'distinct';
  readonly label: string;
  /** The case whose req/s this one is divided by in "× public". */
  readonly publicCaseId: string;
}

function app(
  id: string,
  label: string,
  kind: AppKind,
  adapter: HttpAdapter,
  tokenCache = true,
): AppDef {
  return { id, label, kind, adapter, tokenCache };
}

export const APPS = {
  nestExpress: app('nest-bare-express', 'Nest (Express), no guard', 'nest-bare', 'express'),
  oursExpress: app('oauth-jwt-express', 'Nest (Express), our module', 'oauth-jwt', 'express'),
  oursNoCacheExpress: app(
    'oauth-jwt-nocache-express',
    'Nest (Express), our module, tokenCache off',
    'oauth-jwt',
    'express',
    false,
  ),
  oursDistinctExpress: app(
    'oauth-jwt-10k-express',
    'Nest (Express), our module',
    'oauth-jwt',
    'express',
  ),
  passportExpress: app(
    'passport-jwt-express',
    'Nest (Express), AuthGuard(jwt) + passport-jwt + jwks-rsa',
    'passport-jwt',
    'express',
  ),
  floorExpress: app(
    'floor-express',
    'Nest (Express), signature-only guard (floor)',
    'signature-floor',
    'express',
  ),
  bareExpress: app('express-bare', 'Express, no auth', 'express-bare', 'express'),
  auth0Express: app(
    'express-auth0',
    'Express + express-oauth2-jwt-bearer',
    'express-oauth2-jwt-bearer',
    'express',
  ),
  nestFastify: app('nest-bare-fastify', 'Nest (Fastify), no guard', 'nest-bare', 'fastify'),
  oursFastify: app('oauth-jwt-fastify', 'Nest (Fastify), our module', 'oauth-jwt', 'fastify'),
  oursNoCacheFastify: app(
    'oauth-jwt-nocache-fastify',
    'Nest (Fastify), our module, tokenCache off',
    'oauth-jwt',
    'fastify',
    false,
  ),
  passportFastify: app(
    'passport-jwt-fastify',
    'Nest (Fastify), AuthGuard(jwt) + passport-jwt + jwks-rsa',
    'passport-jwt',
    'fastify',
  ),
  floorFastify: app(
    'floor-fastify',
    'Nest (Fastify), signature-only guard (floor)',
    'signature-floor',
    'fastify',
  ),
} as const satisfies Record<string, AppDef>;

function publicCase(of: AppDef): CaseDef {
  const id = `${of.id}:public`;
  return {
    id,
    app: of,
    route: 'public',
    auth: 'none',
    label: `${of.label} · public`,
    publicCaseId: id,
  };
}

function guardedCase(of: AppDef, detail: string): CaseDef {
  return {
    id: `${of.id}:guarded`,
    app: of,
    route: 'guarded',
    auth: 'one',
    label: `${of.label} · guarded, ${detail}`,
    publicCaseId: `${of.id}:public`,
  };
}

/** Every measured case, in the order of each round and of the report. */
export const CASES: readonly CaseDef[] = [
  publicCase(APPS.nestExpress),
  publicCase(APPS.oursExpress),
  guardedCase(APPS.oursExpress, 'one token (warm cache)'),
  publicCase(APPS.oursNoCacheExpress),
  guardedCase(APPS.oursNoCacheExpress, 'one token (verify every request)'),
  {
    id: `${APPS.oursDistinctExpress.id}:guarded`,
    app: APPS.oursDistinctExpress,
    route: 'guarded',
    auth: 'distinct',
    label: `${APPS.oursDistinctExpress.label} · guarded, distinct tokens in rotation (cached)`,
    publicCaseId: `${APPS.oursExpress.id}:public`,
  },
  publicCase(APPS.passportExpress),
  guardedCase(APPS.passportExpress, 'one token'),
  publicCase(APPS.floorExpress),
  guardedCase(APPS.floorExpress, 'one token'),
  publicCase(APPS.bareExpress),
  publicCase(APPS.auth0Express),
  guardedCase(APPS.auth0Express, 'one token'),
  publicCase(APPS.nestFastify),
  publicCase(APPS.oursFastify),
  guardedCase(APPS.oursFastify, 'one token (warm cache)'),
  publicCase(APPS.oursNoCacheFastify),
  guardedCase(APPS.oursNoCacheFastify, 'one token (verify every request)'),
  publicCase(APPS.passportFastify),
  guardedCase(APPS.passportFastify, 'one token'),
  publicCase(APPS.floorFastify),
  guardedCase(APPS.floorFastify, 'one token'),
];

/** Every ratio's denominator: bare NestJS on Express. */
export const BASELINE_CASE_ID = `${APPS.nestExpress.id}:public`;
