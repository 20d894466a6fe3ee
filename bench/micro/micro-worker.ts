import 'reflect-metadata';
import type { CanActivate } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { GuardsConsumer, GuardsContextCreator } from '@nestjs/core/guards';
import type { NestContainer } from '@nestjs/core/injector/container';
import { createPublicKey } from 'node:crypto';
import { UsersController } from '../../src/users/users.controller';
import { createSampleApp } from '../apps/sample-app';
import { SignatureOnlyGuard } from '../apps/signature-only.guard';
import { VerifierOnlyGuard } from '../apps/verifier-only.guard';
import { serveRpc } from '../lib/rpc';
import { profileShares } from './profile-shares';
import {
  MICRO_PATHS,
  type MicroJob,
  type MicroPath,
  type MicroResult,
  type MicroRpc,
} from '../lib/micro';

// Child entry point: the in-process micro-benchmark (no HTTP), started by bench/lib/micro.
type Path = () => Promise<boolean>;

// The route whose guards run: GET /users, @RequireScopes('list:users').
// eslint-disable-next-line @typescript-eslint/unbound-method -- a handler, as Nest's router holds it
const HANDLER = UsersController.prototype.list as (...args: unknown[]) => unknown;
const consumer = new GuardsConsumer();

/** The guards Nest's router runs for GET /users in the sample app built from `spec`. */
async function sampleGuards(spec: MicroJob['spec']): Promise<[CanActivate[], object]> {
  const app = await createSampleApp(spec);
  await app.init();
  // The router builds its guards from the app's container and config, as done here.
  const { container, config } = app as unknown as {
    container: NestContainer;
    config: ApplicationConfig;
  };
  const [moduleKey] =
    [...container.getModules()].find(([, ref]) => ref.controllers.has(UsersController)) ?? [];
  if (moduleKey === undefined) throw new Error('no module holds UsersController');
  const controller = app.get(UsersController);
  const creator = new GuardsContextCreator(container, config);
  const guards = creator.create(controller, HANDLER, moduleKey);
  if (guards.length === 0) throw new Error('the sample app has no guard on GET /users');
  return [guards, controller];
}

/** One call: a fresh request shaped like Express's, through GuardsConsumer as the router does. */
function pathOf(guards: CanActivate[], controller: object, authorization: string): Path {
  return () =>
    consumer.tryActivate(
      guards,
      [
        {
          method: 'GET',
          url: '/users',
          headers: { host: '127.0.0.1', authorization },
          rawHeaders: ['Host', '127.0.0.1', 'Authorization', authorization],
          query: {},
        },
        {},
        () => undefined,
      ],
      controller,
      HANDLER,
      'http',
    );
}

/** µs per call of `path` over about `ms` milliseconds; every call must pass. */
async function batch(path: Path, ms: number): Promise<number> {
  let calls = 0;
  const started = performance.now();
  let now = started;
  while (now - started < ms) {
    for (let i = 0; i < 64; i += 1) {
      if (!(await path())) throw new Error('a guard refused the request');
    }
    calls += 64;
    now = performance.now();
  }
  return ((now - started) * 1000) / calls;
}

async function run(job: MicroJob): Promise<MicroResult> {
  const authorization = `Bearer ${job.token}`;
  const [warm, controller] = await sampleGuards(job.spec);
  const [cold] = await sampleGuards({ ...job.spec, tokenCache: { enabled: false } });
  const key = createPublicKey({ key: job.jwk, format: 'jwk' });
  const floor = new SignatureOnlyGuard(key);
  const verifier = new VerifierOnlyGuard(key, job.spec);
  const paths: Record<MicroPath, Path> = {
    warm: pathOf(warm, controller, authorization),
    cold: pathOf(cold, controller, authorization),
    floor: pathOf([floor], controller, authorization),
    verifier: pathOf([verifier], controller, authorization),
    noop: pathOf([{ canActivate: () => true }], controller, authorization),
  };
  const times: Record<MicroPath, number[]> = {
    warm: [],
    cold: [],
    floor: [],
    verifier: [],
    noop: [],
  };
  // One unmeasured batch each (key fetch, caches, JIT), then the batches, interleaved.
  for (const name of MICRO_PATHS) await batch(paths[name], job.batchMs);
  for (let i = 0; i < job.batches; i += 1) {
    for (const name of MICRO_PATHS) times[name].push(await batch(paths[name], job.batchMs));
  }
  // Where the cold chain's time goes: ten batches' worth of it under the sampling profiler.
  const coldShares = await profileShares(async () => {
    await batch(paths.cold, job.batchMs * 10);
  });
  return { ...times, coldShares };
}

serveRpc<MicroRpc>({ run }, null);
