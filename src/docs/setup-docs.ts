import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { applyOAuthJwtOpenApi } from '../oauth-jwt/openapi';

/** Where the sample serves Swagger UI; the JSON document is at `/docs-json`. */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'list:users': 'List your users (GET /users)',
  'read:users': 'Read one of your users (GET /users/{id})',
  'create:users': 'Create a user (POST /users)',
  'delete:users': 'Delete one of your users (DELETE /users/{id})',
};

export interface DocsOptions {
  /** The issuer's token endpoint. @default discovered from the issuer's metadata */
  tokenUrl?: string;
  /** Serve Swagger UI's page and assets (on Fastify through @fastify/static). @default true */
  ui?: boolean;
}

/**
 * Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`, with the OAuth 2.0
 * client-credentials scheme and each operation's scopes. Call before `listen`. These routes are
 * registered on the HTTP adapter, outside Nest's router, so the global guards never see them:
 * they are public. Swagger UI's assets come from swagger-ui-dist on this server, not from a CDN
 * (on Fastify through @fastify/static).
 */
export async function setupDocs(
  app: INestApplication,
  options: DocsOptions = {},
): Promise<OpenAPIObject> {
  const config = new DocumentBuilder()
    .setTitle('Partner users API')
    .setDescription(
      'Partners manage their own users. Every route but /health needs an OAuth 2.0 access token ' +
        '(client credentials grant) with the scopes listed on it.',
    )
    .setVersion('0.1.0')
    .build();
  const document = await applyOAuthJwtOpenApi(app, SwaggerModule.createDocument(app, config), {
    ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl }),
    scopes: SCOPE_DESCRIPTIONS,
  });
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    ui: options.ui ?? true,
    customSiteTitle: 'Partner users API',
    // No call to validator.swagger.io: the page loads nothing from outside this server.
    swaggerOptions: { validatorUrl: null },
  });
  return document;
}
