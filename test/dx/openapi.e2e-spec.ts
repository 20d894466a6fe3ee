import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestIssuer, type TestIssuer } from '../../src/oauth-jwt/testing';
import { DX_AUDIENCE, DX_PARTNERS, dxConfig, startDxApp, type DxApp } from './support/dx-app';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { $ref?: string; headers?: Record<string, { schema: object }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; responses: Record<string, unknown> };
};

/** /docs-json once it has a token URL (polled: discovery runs in the background; 10 s at most). */
async function documentWithTokenUrl(url: string): Promise<Document> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const response = await request(url).get('/docs-json').expect(200);
    const document = response.body as Document;
    const scheme = document.components.securitySchemes['oauth2'] as {
      flows: { clientCredentials: { tokenUrl?: string } };
    };
    if (scheme.flows.clientCredentials.tokenUrl !== undefined) return document;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('/docs-json never got a token URL');
}

describe('OpenAPI of the sample (/docs-json, /docs)', () => {
  let issuer: TestIssuer;
  let api: DxApp;
  let document: Document;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    // No tokenUrl: setupDocs discovers it from the issuer's metadata in the background, as main.ts
    // does; the document has it as soon as that first attempt is back.
    api = await startDxApp(dxConfig(issuer));
    document = await documentWithTokenUrl(api.url);
  });

  afterAll(async () => {
    await api.close();
    await issuer.close();
  });

  it('lists every operation with exactly the scopes its route requires, none on public ones', () => {
    const security = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        operation.security,
      ]),
    );
    expect(Object.fromEntries(security)).toEqual({
      'GET /users': [{ oauth2: ['list:users'] }],
      'POST /users': [{ oauth2: ['create:users'] }],
      'GET /users/{id}': [{ oauth2: ['read:users'] }],
      'DELETE /users/{id}': [{ oauth2: ['delete:users'] }],
      'GET /partners/me': [{ oauth2: [] }],
      'GET /health': undefined,
      'GET /health/ready': undefined,
    });
  });

  it('declares the client-credentials scheme: discovered token URL and the scope catalogue', () => {
    expect(document.components.securitySchemes).toEqual({
      oauth2: {
        type: 'oauth2',
        description:
          `OAuth 2.0 client credentials: get an access token (JWT) from ${issuer.issuer} for ` +
          'https://partner-api.test and send it as `Authorization: Bearer <token>`.',
        flows: {
          clientCredentials: {
            tokenUrl: issuer.tokenEndpoint,
            scopes: {
              'create:users': 'Create a user (POST /users)',
              'delete:users': 'Delete one of your users (DELETE /users/{id})',
              'list:users': 'List your users (GET /users)',
              'read:users': 'Read one of your users (GET /users/{id})',
            },
          },
        },
      },
    });
  });

  it('documents 401, 403 (with the scope challenge) and 503 on protected operations only', () => {
    const list = document.paths['/users']!['get']!;
    expect(list.responses['401']).toEqual({ $ref: '#/components/responses/OAuthJwtUnauthorized' });
    expect(list.responses['503']).toEqual({
      $ref: '#/components/responses/OAuthJwtKeysUnavailable',
    });
    expect(list.responses['403']!.headers!['WWW-Authenticate']!.schema).toEqual({
      type: 'string',
      example:
        'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The access token lacks a required scope", scope="list:users"',
    });
    expect(Object.keys(document.paths['/health']!['get']!.responses)).toEqual(['200']);
    expect(document.components.responses).toEqual({
      OAuthJwtUnauthorized: expect.objectContaining({
        headers: {
          'WWW-Authenticate': {
            description: 'RFC 6750 §3 Bearer challenge',
            schema: {
              type: 'string',
              example:
                'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
            },
          },
        },
      }),
      OAuthJwtKeysUnavailable: expect.objectContaining({
        headers: { 'Retry-After': expect.any(Object) },
      }),
    });
  });

  it('serves Swagger UI at /docs without a token, its assets from this server only', async () => {
    const page = await request(api.url).get('/docs').expect(200).expect('Content-Type', /html/);
    const references = [...page.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map(
      (match) => match[1],
    );
    expect(references).toEqual([
      './docs/swagger-ui.css',
      './docs/favicon-32x32.png',
      './docs/favicon-16x16.png',
      './docs/swagger-ui-bundle.js',
      './docs/swagger-ui-standalone-preset.js',
      './docs/swagger-ui-init.js',
    ]);
    await request(api.url)
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    const init = await request(api.url).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"validatorUrl": null');
    expect(init.text).toContain('"list:users"');
  });
});

describe('OpenAPI of the sample on Fastify', () => {
  it('serves the same document at /docs-json (Swagger UI needs @fastify/static: not served)', async () => {
    const issuer = await createTestIssuer({ audience: 'https://partner-api.test' });
    const docs = { tokenUrl: issuer.tokenEndpoint };
    const express = await startDxApp(dxConfig(issuer), { docs });
    const fastify = await startDxApp(dxConfig(issuer), { docs, adapter: 'fastify' });
    try {
      const [fromExpress, fromFastify] = await Promise.all([
        request(express.url).get('/docs-json').expect(200),
        request(fastify.url).get('/docs-json').expect(200),
      ]);
      expect(fromFastify.body).toEqual(fromExpress.body);
      await request(fastify.url).get('/docs').expect(404);
    } finally {
      await Promise.allSettled([express.close(), fastify.close()]);
      await issuer.close();
    }
  });
});

describe.each(['express', 'fastify'] as const)(
  'token URL discovery while the issuer is down (%s)',
  (adapter) => {
    it('retries in the background without the token URL, and stops when the app closes', async () => {
      // An issuer that is up but unwell: every metadata request answers 503, and is counted.
      let requests = 0;
      const unwell = http.createServer((_request, response) => {
        requests += 1;
        response.writeHead(503).end();
      });
      await new Promise<void>((resolve) => unwell.listen(0, '127.0.0.1', resolve));
      const issuer = `http://127.0.0.1:${(unwell.address() as AddressInfo).port}`;
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      try {
        const api = await startDxApp(
          { port: 0, host: '127.0.0.1', issuer, audience: DX_AUDIENCE, partners: DX_PARTNERS },
          { adapter, docs: { retry: { initialDelayMs: 20, maxDelayMs: 20, maxAttempts: 1000 } } },
        );
        const response = await request(api.url).get('/docs-json').expect(200);
        const schemes = (response.body as Document).components.securitySchemes;
        expect(schemes['oauth2']).toMatchObject({
          flows: { clientCredentials: { scopes: expect.any(Object) } },
        });
        expect(schemes['oauth2']).not.toHaveProperty('flows.clientCredentials.tokenUrl');
        await wait(200);
        expect(requests).toBeGreaterThan(4); // retrying (two metadata URLs per attempt)

        await api.close();
        const afterClose = requests;
        await wait(200);
        expect(requests - afterClose).toBeLessThanOrEqual(2); // at most the attempt under way
      } finally {
        await new Promise((resolve) => unwell.close(resolve));
      }
    });
  },
);
