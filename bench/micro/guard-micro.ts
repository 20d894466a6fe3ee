import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import jwt from 'jsonwebtoken';
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ClaimsGuard, JwtAuthGuard, ScopesGuard } from '../../src/oauth-jwt';
import type { AppSpec } from '../apps/app-spec';
import { OAuthJwtBenchController } from '../apps/oauth-jwt-bench.controller';
import { OAuthJwtBenchModule } from '../apps/oauth-jwt-bench.module';
import { SignatureOnlyGuard } from '../apps/signature-only.guard';
import { serveRpc } from '../lib/serve-rpc';
import { microsPerCall } from './measure';
import {
  FLOOR_GUARD,
  OUR_CHAIN_CACHE_OFF,
  type MicroJob,
  type MicroRow,
  type MicroRpc,
} from './micro-job';

/**
 * Child entry point: the in-process micro-benchmark (no HTTP). Drives our guards' canActivate
 * with a Nest ExecutionContextHost around a plain request object, as Nest's router would, next to
 * the floor guard, the signature check alone and jsonwebtoken.verify with the two kinds of key.
 */

// The route whose metadata (@RequireScopes) the guards read.
// eslint-disable-next-line @typescript-eslint/unbound-method -- only used as a metadata target
const GUARDED_HANDLER = OAuthJwtBenchController.prototype.guarded;

interface Guards {
  readonly auth: JwtAuthGuard;
  readonly chain: readonly { canActivate(context: ExecutionContextHost): unknown }[];
}

async function guardsFor(job: MicroJob, tokenCache: boolean): Promise<Guards> {
  const spec: AppSpec = {
    kind: 'oauth-jwt',
    adapter: 'express',
    issuer: job.issuer,
    audience: job.audience,
    jwksUri: tokenCache ? job.jwksUriCached : job.jwksUriUncached,
    tokenCache,
    scope: job.scope,
  };
  Logger.overrideLogger(['error', 'warn']);
  const app = await NestFactory.createApplicationContext(OAuthJwtBenchModule.register(spec));
  const auth = app.get(JwtAuthGuard);
  return { auth, chain: [auth, app.get(ScopesGuard), app.get(ClaimsGuard)] };
}

/** A fresh request per call, shaped like Express's (headers, rawHeaders, query). */
function contextFor(authorization: string): ExecutionContextHost {
  const request = {
    method: 'GET',
    url: '/guarded',
    headers: { host: '127.0.0.1', authorization },
    rawHeaders: ['Host', '127.0.0.1', 'Authorization', authorization],
    query: {},
    body: undefined,
  };
  return new ExecutionContextHost(
    [request, {}, () => undefined],
    OAuthJwtBenchController,
    GUARDED_HANDLER,
  );
}

async function runChain(guards: Guards, authorization: string): Promise<void> {
  const context = contextFor(authorization);
  for (const guard of guards.chain) {
    if ((await guard.canActivate(context)) !== true) throw new Error('guard refused');
  }
}

async function fetchKey(jwksUri: string): Promise<KeyObject> {
  const response = await fetch(jwksUri, { signal: AbortSignal.timeout(5_000) });
  const { keys } = (await response.json()) as { keys: JsonWebKey[] };
  const jwk = keys[0];
  if (!jwk) throw new Error('empty JWKS');
  return createPublicKey({ key: jwk, format: 'jwk' });
}

async function run(job: MicroJob): Promise<MicroRow[]> {
  const cached = await guardsFor(job, true);
  const uncached = await guardsFor(job, false);
  const authorization = `Bearer ${job.token}`;
  const key = await fetchKey(job.jwksUriCached);
  const pem = key.export({ format: 'pem', type: 'spki' }).toString();
  const lastDot = job.token.lastIndexOf('.');
  const signingInput = Buffer.from(job.token.slice(0, lastDot));
  const signature = Buffer.from(job.token.slice(lastDot + 1), 'base64url');
  const jwtOptions = {
    algorithms: ['RS256' as const],
    audience: job.audience,
    issuer: job.issuer,
  };
  const check = (valid: boolean): void => {
    if (!valid) throw new Error('signature did not verify');
  };

  const floor = new SignatureOnlyGuard(key);
  const rows: [string, () => unknown][] = [
    [
      'JwtAuthGuard.canActivate, warm cache',
      () => cached.auth.canActivate(contextFor(authorization)),
    ],
    ['JwtAuthGuard + ScopesGuard + ClaimsGuard, warm cache', () => runChain(cached, authorization)],
    [
      'JwtAuthGuard.canActivate, cache off',
      () => uncached.auth.canActivate(contextFor(authorization)),
    ],
    [OUR_CHAIN_CACHE_OFF, () => runChain(uncached, authorization)],
    [FLOOR_GUARD, () => floor.canActivate(contextFor(authorization))],
    [
      'jsonwebtoken.verify, KeyObject (our cache-miss verify)',
      () => jwt.verify(job.token, key, jwtOptions),
    ],
    [
      'jsonwebtoken.verify, PEM string (jwks-rsa + passport-jwt)',
      () => jwt.verify(job.token, pem, jwtOptions),
    ],
    [
      'crypto.verify RS256 signature only',
      () => {
        check(verify('sha256', signingInput, key, signature));
      },
    ],
  ];
  const results: MicroRow[] = [];
  for (const [label, fn] of rows) {
    results.push({ label, microsPerCall: await microsPerCall(fn, job.batches, job.batchMs) });
  }
  return results;
}

serveRpc<MicroRpc>({ run }, null);
