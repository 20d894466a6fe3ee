import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import type { ScaleConfig } from '../../src/config/scale-config';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { createHttpAdapter, type HttpAdapterName } from '../../src/http-adapter';
import type { Partner } from '../../src/partners/partner.interface';
import { setupApp } from '../../src/setup-app';
import { TEST_AUDIENCE, TEST_CLIENTS } from './authorization-server';

/**
 * Per-test and per-hook time limit of the e2e files (`jest.setTimeout` in each file): the
 * `testTimeout` given inside a `projects` entry of jest.config.js is not applied by Jest, which
 * would leave the 5 s default.
 */
export const E2E_TIMEOUT_MS = 20_000;

/**
 * The partners file of the e2e apps. `partner-c@clients` is the Auth0-style client id, kept whole
 * under the `generic` profile (only `auth0` strips the suffix); `stranger` is registered at the
 * issuer but deliberately absent.
 */
export const TEST_PARTNERS: readonly Partner[] = [
  { clientId: TEST_CLIENTS.partnerA.clientId, name: 'Acme Corp' },
  { clientId: TEST_CLIENTS.partnerB.clientId, name: 'Globex' },
  { clientId: 'partner-c@clients', name: 'Initech' },
  { clientId: TEST_CLIENTS.scpClient.clientId, name: 'Azure-style Partner' },
  { clientId: TEST_CLIENTS.permissionsClient.clientId, name: 'Auth0-style Partner' },
  { clientId: TEST_CLIENTS.readOnly.clientId, name: 'Read-only Partner' },
];

/**
 * An AppConfig for `issuer` (the e2e authorization server, or a test-kit issuer made with
 * `audience: TEST_AUDIENCE`; its JWKS URL given explicitly), listening on 127.0.0.1, port 0.
 */
export function appConfigFor(
  issuer: Pick<DevIssuer, 'issuer' | 'jwksUri'>,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    issuer: issuer.issuer,
    audience: TEST_AUDIENCE,
    jwksUri: issuer.jwksUri,
    partners: TEST_PARTNERS,
    ...overrides,
  };
}

export interface TestApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the sample app for `config` exactly as main.ts does (AppModule.register, the HTTP adapter
 * HTTP_ADAPTER would select, setupApp; `scale`: quotas, Redis, logs, none by default) and listens on `config.host` and `config.port` (127.0.0.1
 * and 0 from appConfigFor). Call `close()` in `afterAll`.
 */
export async function startTestApp(
  config: AppConfig,
  adapter: HttpAdapterName = 'express',
  scale?: ScaleConfig,
): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config, scale)],
  }).compile();
  const app = setupApp(moduleRef.createNestApplication(createHttpAdapter(adapter)));
  // Refusals are logged by the module (logRefusals); only errors matter in test output.
  app.useLogger(['error']);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const url = (await app.getUrl()).replace(/\/$/, '');
  return { app, url, close: () => app.close() };
}

/** The app most e2e files start: startTestApp(appConfigFor(issuer, overrides), adapter). */
export function startAppFor(
  issuer: Pick<DevIssuer, 'issuer' | 'jwksUri'>,
  overrides: Partial<AppConfig> = {},
  adapter?: HttpAdapterName,
): Promise<TestApp> {
  return startTestApp(appConfigFor(issuer, overrides), adapter);
}

/** Closes every app given (skipping those that never started), even if one close fails. */
export async function closeAll(...apps: (TestApp | undefined)[]): Promise<void> {
  const started = apps.filter((app): app is TestApp => app !== undefined);
  const results = await Promise.allSettled(started.map((app) => app.close()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
