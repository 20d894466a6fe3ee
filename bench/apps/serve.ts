import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupDocs } from '../../src/docs/setup-docs';
import { createHttpAdapter } from '../../src/http-adapter';
import { VerifiedTokenCache } from '../../src/oauth-jwt/cache/verified-token.cache';
import { serveRpc } from '../lib/rpc';
import type { AppRpc, AppSpec } from './app-spec';
import { MinimalAppModule } from './minimal-app.module';
import { createSampleApp } from './sample-app';
import { applySampleVariant } from './sample-variants';

// Child entry point: `node serve.js '<AppSpec JSON>'`, started by bench/lib/app-process. Listens
// on 127.0.0.1, port 0, reports the port, answers `stats`, closes on `stop`.

async function startNest(spec: AppSpec): Promise<INestApplication> {
  if (spec.kind !== 'sample') {
    const module = MinimalAppModule.register(spec);
    return NestFactory.create(module, createHttpAdapter(spec.adapter));
  }
  // The rest of src/main.ts's bootstrap: the docs (token URL discovered), then listen.
  const app = await createSampleApp(spec);
  if (spec.variant) applySampleVariant(app, spec.variant);
  await setupDocs(app, {});
  return app;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? 'null') as AppSpec;
  let nest: INestApplication | undefined;
  let server: Server;
  if (spec.kind === 'node-http') {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  } else {
    nest = await startNest(spec);
    await nest.listen(0, '127.0.0.1');
    server = nest.getHttpServer() as Server;
  }
  const cache =
    spec.kind === 'sample' ? nest?.get(VerifiedTokenCache, { strict: false }) : undefined;
  const stats = ({ gc }: { gc: boolean }) => {
    if (gc) (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return { rssBytes: rss, heapUsedBytes: heapUsed, cachedTokens: cache?.size };
  };
  const port = (server.address() as AddressInfo).port;
  serveRpc<AppRpc>({ stats }, { port }, async () => nest?.close());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
