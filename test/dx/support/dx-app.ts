import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../../src/app.module';
import type { AppConfig } from '../../../src/config/app-config';
import { setupDocs, type DocsOptions } from '../../../src/docs/setup-docs';
import { createHttpAdapter, type HttpAdapterName } from '../../../src/http-adapter';
import type { TestIssuer } from '../../../src/oauth-jwt/testing';
import type { Partner } from '../../../src/partners/partner.interface';
import { setupApp } from '../../../src/setup-app';

export const DX_AUDIENCE = 'https://partner-api.test';

export const DX_PARTNERS: readonly Partner[] = [
  { clientId: 'partner-a', name: 'Acme Corp' },
  { clientId: 'partner-b', name: 'Globex' },
];

/** The sample's config for a test issuer (its JWKS URL given, unless `jwksUri: undefined` is passed). */
export function dxConfig(issuer: TestIssuer, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    issuer: issuer.issuer,
    audience: DX_AUDIENCE,
    jwksUri: issuer.jwksUri,
    partners: DX_PARTNERS,
    ...overrides,
  };
}

export interface DxApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export interface DxAppOptions {
  /** Serve /docs and /docs-json as main.ts does; false to leave them out. @default {} */
  docs?: DocsOptions | false;
  adapter?: HttpAdapterName;
}

/** The sample app as main.ts builds it (setupApp, setupDocs), listening on 127.0.0.1, port 0. */
export async function startDxApp(config: AppConfig, options: DxAppOptions = {}): Promise<DxApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config)],
  }).compile();
  const app = setupApp(
    moduleRef.createNestApplication(createHttpAdapter(options.adapter ?? 'express')),
  );
  app.useLogger(['error', 'warn']);
  try {
    // Jest on Node 20 cannot load @fastify/static 10 (its dependencies are ESM-only), so under
    // Jest the Fastify app serves the JSON document only; `npm start` serves the UI on both.
    const ui = (options.adapter ?? 'express') !== 'fastify';
    if (options.docs !== false) await setupDocs(app, { ui, ...(options.docs || {}) });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = (app.getHttpServer() as http.Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just bound (port 0) and released. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return `http://127.0.0.1:${port}`;
}
