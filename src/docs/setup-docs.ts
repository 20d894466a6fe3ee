import { Logger, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { EventEmitter } from 'node:events';
import { applyOAuthJwtOpenApi } from '../oauth-jwt/openapi';
import { retryInBackground, type RetrySchedule } from './retry-in-background';

/** Where the sample serves Swagger UI; the JSON document is at `/docs-json`. */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** Discovery of the token URL while the issuer is down: 1 s, 2 s, 4 s... 60 s, ~25 min in all. */
export const TOKEN_URL_RETRY: RetrySchedule = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxAttempts: 30,
};

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'list:users': 'List your users (GET /users)',
  'read:users': 'Read one of your users (GET /users/{id})',
  'create:users': 'Create a user (POST /users)',
  'delete:users': 'Delete one of your users (DELETE /users/{id})',
};

export interface DocsOptions {
  /** The issuer's token endpoint. @default discovered from the issuer's metadata, in the background */
  tokenUrl?: string;
  /** Serve Swagger UI's page and assets (on Fastify through @fastify/static). @default true */
  ui?: boolean;
  /** How discovery of the token URL is retried while the issuer is unreachable. @default TOKEN_URL_RETRY */
  retry?: RetrySchedule;
}

/** The documentation setupDocs() serves. */
export interface ServedDocs {
  /** The OpenAPI document served now (the token URL left out until discovered). */
  current(): OpenAPIObject;
  /** Stops retrying discovery; done by itself when the app's HTTP server closes. */
  stop(): void;
}

/**
 * Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`, with the OAuth 2.0
 * client-credentials scheme and each operation's scopes. Call before `listen`. These routes are
 * registered on the HTTP adapter, outside Nest's router, so the global guards never see them:
 * they are public. Swagger UI's assets come from swagger-ui-dist on this server, not from a CDN
 * (on Fastify through @fastify/static).
 *
 * Without `tokenUrl` nothing waits for the issuer, so the API starts while it is down: the document
 * leaves the token URL out, and discovery runs in the background (see TOKEN_URL_RETRY) until it
 * finds it; from then on both routes serve the complete document.
 */
export async function setupDocs(
  app: INestApplication,
  options: DocsOptions = {},
): Promise<ServedDocs> {
  const config = new DocumentBuilder()
    .setTitle('Partner users API')
    .setDescription(
      'Partners manage their own users. Every route but /health needs an OAuth 2.0 access token ' +
        '(client credentials grant) with the scopes listed on it.',
    )
    .setVersion('0.1.0')
    .build();
  const scanned = SwaggerModule.createDocument(app, config);
  const settings = { scopes: SCOPE_DESCRIPTIONS };
  let document = await applyOAuthJwtOpenApi(app, scanned, {
    ...settings,
    tokenUrl: options.tokenUrl ?? null,
  });

  const discovery =
    options.tokenUrl === undefined
      ? discoverInBackground(options.retry ?? TOKEN_URL_RETRY, async () => {
          // Without tokenUrl, applyOAuthJwtOpenApi discovers it, or rejects.
          document = await applyOAuthJwtOpenApi(app, scanned, settings);
        })
      : undefined;
  const stop = (): void => discovery?.stop();
  (app.getHttpServer() as EventEmitter).once('close', stop);

  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    ui: options.ui ?? true,
    customSiteTitle: 'Partner users API',
    // No call to validator.swagger.io: the page loads nothing from outside this server.
    swaggerOptions: { validatorUrl: null },
    // Both routes serve the latest document: the one with the token URL once it is discovered.
    patchDocumentOnRequest: () => document,
  });
  return { current: () => document, stop };
}

/** Retries `discover` on `schedule`, logging the first failure, the success and giving up. */
function discoverInBackground(schedule: RetrySchedule, discover: () => Promise<void>) {
  const logger = new Logger('Docs');
  let failures = 0;
  return retryInBackground(
    async () => {
      try {
        await discover();
      } catch (error) {
        if (failures++ === 0) {
          const reason = error instanceof Error ? error.message : String(error);
          logger.warn(
            `The OpenAPI document leaves the token URL out for now (${reason}); ` +
              'retrying discovery in the background',
          );
        }
        return false;
      }
      if (failures > 0) logger.log('Token URL discovered: /docs-json now has it');
      return true;
    },
    schedule,
    (attempts) => {
      logger.warn(
        `Gave up discovering the token URL after ${attempts} attempts; ` +
          'restart the API once the issuer is reachable',
      );
    },
  );
}
