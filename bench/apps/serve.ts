import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import type { Express } from 'express';
import { processStats } from '../lib/process-stats';
import { serveRpc } from '../lib/serve-rpc';
import { startCpuProfile, stopCpuProfile } from './cpu-profiler';
import { parseAppSpec, type AppReady, type AppRpc, type AppSpec } from './app-spec';
import type { RunningServer } from './running-server';

/**
 * Child entry point: `node serve.js '<AppSpec JSON>'`, started (and stopped) by bench/run. Each
 * app loads only its own packages, so its memory and start-up are its own.
 */
async function start(spec: AppSpec): Promise<RunningServer> {
  switch (spec.kind) {
    case 'nest-bare':
      return nest(spec, async () => (await import('./nest-bare.module')).NestBareModule);
    case 'oauth-jwt':
      return nest(spec, async () =>
        (await import('./oauth-jwt-bench.module')).OAuthJwtBenchModule.register(spec),
      );
    case 'passport-jwt':
      return nest(spec, async () =>
        (await import('./passport-jwt-bench.module')).PassportJwtBenchModule.register(spec),
      );
    case 'signature-floor':
      return nest(spec, async () =>
        (await import('./signature-floor.module')).SignatureFloorModule.register(spec),
      );
    case 'express-bare':
      return express(async () => (await import('./express-bare')).createBareExpressApp());
    case 'express-oauth2-jwt-bearer':
      return express(async () =>
        (await import('./express-oauth2-jwt-bearer')).createAuth0SdkExpressApp(spec),
      );
  }
}

async function nest(
  spec: AppSpec,
  loadModule: () => Promise<Type | DynamicModule>,
): Promise<RunningServer> {
  const { listenNest } = await import('./listen-nest');
  return listenNest(await loadModule(), spec.adapter);
}

async function express(createApp: () => Promise<Express>): Promise<RunningServer> {
  const { listenExpress } = await import('./listen-express');
  return listenExpress(await createApp());
}

async function main(): Promise<void> {
  const server = await start(parseAppSpec(process.argv[2]));
  const ready: AppReady = { port: server.port };
  serveRpc<AppRpc>(
    {
      stats: ({ gc }) => processStats(gc),
      profileStart: startCpuProfile,
      profileStop: stopCpuProfile,
    },
    ready,
    () => server.close(),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
