import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { createHttpAdapter } from '../../src/http-adapter';
import { setupApp } from '../../src/setup-app';
import { PARTNER, type AppSpec } from './app-spec';

/**
 * The sample app as src/main.ts builds it, up to `setupDocs` and `listen` (the in-process
 * micro-benchmark needs neither): AppModule.register(config) on the adapter, then setupApp. The
 * config is what loadAppConfig reads with OAUTH_JWKS_URI set and one partner, listening on
 * 127.0.0.1, port 0.
 */
export async function createSampleApp(spec: AppSpec): Promise<INestApplication> {
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    issuer: spec.issuer,
    audience: spec.audience,
    jwksUri: spec.jwksUri,
    partners: [PARTNER],
    ...(spec.tokenCache && { oauth: { tokenCache: spec.tokenCache } }),
  };
  const adapter = createHttpAdapter(spec.adapter);
  return setupApp(await NestFactory.create(AppModule.register(config), adapter));
}
