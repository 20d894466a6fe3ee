import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  OAuthJwtModule,
  Public,
  RequireAnyScope,
  RequireScopes,
  type OAuthJwtModuleOptions,
} from '../src/oauth-jwt';
import { createTestIssuer, type TestIssuer } from '../src/oauth-jwt/testing';
import { createHttpAdapter, HTTP_ADAPTERS, type HttpAdapterName } from '../src/http-adapter';
import { TEST_AUDIENCE } from './support/authorization-server';
import { E2E_TIMEOUT_MS, startAppFor, type TestApp } from './support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const AUDIENCE = 'https://partner-api.test';
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

@Controller('orders')
@RequireScopes('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(): string[] {
    return [];
  }

  @Post()
  @RequireAnyScope('orders:write', 'admin')
  create(): void {}
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status(): string {
    return 'ok';
  }
}

async function startApp(
  adapter: HttpAdapterName,
  options: OAuthJwtModuleOptions,
  globalPrefix?: string,
): Promise<INestApplication> {
  @Module({
    imports: [OAuthJwtModule.forRoot(options)],
    controllers: [OrdersController, StatusController],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(adapter));
  app.useLogger(['error']);
  if (globalPrefix) app.setGlobalPrefix(globalPrefix);
  await app.listen(0, '127.0.0.1');
  return app;
}

describe.each(HTTP_ADAPTERS)('RFC 9728 protected resource metadata on %s', (adapter) => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  let app: INestApplication;
  const metadataUrl = `${AUDIENCE}${WELL_KNOWN}`;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: AUDIENCE });
    other = await createTestIssuer({ audience: AUDIENCE });
    app = await startApp(adapter, {
      issuers: [
        { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri },
        { issuer: other.issuer, audience: AUDIENCE, jwksUri: other.jwksUri },
      ],
      resourceMetadata: {
        resource: AUDIENCE,
        resourceName: 'Partner orders API',
        resourceDocumentation: 'https://docs.partner-api.test/',
      },
    });
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([issuer.close(), other.close()]);
  });

  it('serves the metadata at the well-known URL: exact JSON, cacheable, without a token', async () => {
    const response = await request(app.getHttpServer()).get(WELL_KNOWN).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.body).toEqual({
      resource: AUDIENCE,
      authorization_servers: [issuer.issuer, other.issuer],
      // Every scope of the decorators (controller and handler, @RequireAnyScope too), sorted.
      scopes_supported: ['admin', 'orders', 'orders:read', 'orders:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Partner orders API',
      resource_documentation: 'https://docs.partner-api.test/',
    });
    expect(issuer.jwksRequestCount + other.jwksRequestCount).toBe(0);
  });

  it('reads no token there: a bad Authorization header still gets the metadata', async () => {
    await request(app.getHttpServer())
      .get(WELL_KNOWN)
      .set('Authorization', 'Bearer not-a-token')
      .expect(200);
  });

  it('names it in the challenge of a request without a token (401)', async () => {
    await request(app.getHttpServer())
      .get('/orders')
      .expect(401)
      .expect('WWW-Authenticate', `Bearer realm="api", resource_metadata="${metadataUrl}"`);
  });

  it('names it in the challenge of an invalid token (401) and of a missing scope (403)', async () => {
    await request(app.getHttpServer())
      .get('/orders')
      .set('Authorization', `Bearer ${issuer.token({ expiresIn: -60 })}`)
      .expect(401)
      .expect(
        'WWW-Authenticate',
        'Bearer realm="api", error="invalid_token", error_description="The access token expired", ' +
          `resource_metadata="${metadataUrl}"`,
      );
    await request(app.getHttpServer())
      .get('/orders')
      .set('Authorization', `Bearer ${other.token({ scopes: ['orders'] })}`)
      .expect(403)
      .expect(
        'WWW-Authenticate',
        'Bearer realm="api", error="insufficient_scope", error_description="The access token ' +
          `lacks a required scope", scope="orders:read orders", resource_metadata="${metadataUrl}"`,
      );
  });

  it('leaves the routes as they were: a valid token is served, public routes stay public', async () => {
    await request(app.getHttpServer())
      .get('/orders')
      .set('Authorization', `Bearer ${issuer.token({ scopes: ['orders', 'orders:read'] })}`)
      .expect(200, []);
    await request(app.getHttpServer()).get('/status').expect(200, 'ok');
  });

  it('serves a resource with a path at the well-known URL with that path inserted (RFC 9728 §3)', async () => {
    const resource = `${AUDIENCE}/partner/v1`;
    const prefixed = await startApp(
      adapter,
      { ...issuer.moduleOptions(), resourceMetadata: { resource } },
      'partner/v1',
    );
    try {
      const response = await request(prefixed.getHttpServer())
        .get(`${WELL_KNOWN}/partner/v1`)
        .expect(200);
      expect(response.body).toEqual({
        resource,
        authorization_servers: [issuer.issuer],
        scopes_supported: ['admin', 'orders', 'orders:read', 'orders:write'],
        bearer_methods_supported: ['header'],
      });
      await request(prefixed.getHttpServer()).get(WELL_KNOWN).expect(404);
      await request(prefixed.getHttpServer())
        .get('/partner/v1/orders')
        .expect(401)
        .expect(
          'WWW-Authenticate',
          `Bearer realm="api", resource_metadata="${AUDIENCE}${WELL_KNOWN}/partner/v1"`,
        );
    } finally {
      await prefixed.close();
    }
  });

  it('without the option serves nothing there and challenges carry no resource_metadata', async () => {
    const plain = await startApp(adapter, issuer.moduleOptions());
    try {
      await request(plain.getHttpServer()).get(WELL_KNOWN).expect(404);
      await request(plain.getHttpServer())
        .get('/orders')
        .expect(401)
        .expect('WWW-Authenticate', 'Bearer realm="api"');
    } finally {
      await plain.close();
    }
  });
});

describe('the sample with a resource (RESOURCE_URL or a URL audience)', () => {
  let issuer: TestIssuer;
  let api: TestApp;

  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: TEST_AUDIENCE });
    api = await startAppFor(issuer, { resource: TEST_AUDIENCE });
  });

  afterAll(async () => {
    await api.close();
    await issuer.close();
  });

  it('publishes its metadata with the scopes of its routes and names it in challenges', async () => {
    const response = await request(api.url).get(WELL_KNOWN).expect(200);
    expect(response.body).toEqual({
      resource: TEST_AUDIENCE,
      authorization_servers: [issuer.issuer],
      scopes_supported: ['create:users', 'delete:users', 'list:users', 'read:users'],
      bearer_methods_supported: ['header'],
    });
    await request(api.url)
      .get('/users')
      .expect(401)
      .expect(
        'WWW-Authenticate',
        `Bearer realm="api", resource_metadata="${TEST_AUDIENCE}${WELL_KNOWN}"`,
      );
  });
});
