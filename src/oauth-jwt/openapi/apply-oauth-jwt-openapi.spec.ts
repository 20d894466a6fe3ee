import {
  All,
  Controller,
  Delete,
  Get,
  Module,
  Post,
  UseGuards,
  VersioningType,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Public } from '../decorators/public.decorator';
import { RequireClaim } from '../decorators/require-claim.decorator';
import { RequireAnyScope, RequireScopes } from '../decorators/require-scopes.decorator';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { ScopesGuard } from '../guards/scopes.guard';
import { OAuthJwtModule } from '../oauth-jwt.module';
import { applyOAuthJwtOpenApi } from './apply-oauth-jwt-openapi';

const MODULE_OPTIONS = { issuer: 'https://issuer.test/', audience: 'https://api.test' };
const TOKEN_URL = 'https://issuer.test/oauth/token';

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
  @RequireAnyScope('tier:gold', 'tier:silver')
  create(): void {}

  @Delete(':id')
  @RequireClaim('tier', 'gold')
  remove(): void {}

  @All('echo/*path')
  echo(): void {}
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status(): string {
    return 'ok';
  }

  @Get('secret')
  @RequireScopes('ops')
  secret(): string {
    return 'no';
  }
}

@Module({ controllers: [OrdersController, StatusController] })
class ShopModule {}

@Module({
  imports: [OAuthJwtModule.forRoot(MODULE_OPTIONS), ShopModule],
})
class ShopApp {}

@Controller('reports')
class ReportsController {
  @Get()
  @RequireScopes('reports')
  list(): string[] {
    return [];
  }

  @Get('guarded')
  @UseGuards(JwtAuthGuard, ScopesGuard)
  @RequireScopes('reports')
  guarded(): string[] {
    return [];
  }
}

@Module({
  imports: [OAuthJwtModule.forRoot({ ...MODULE_OPTIONS, registerGlobalGuards: false })],
  controllers: [ReportsController],
})
class ManualGuardsApp {}

@Module({
  imports: [
    OAuthJwtModule.forRoot({
      ...MODULE_OPTIONS,
      resourceMetadata: { resource: 'https://api.test' },
    }),
    ShopModule,
  ],
})
class ShopAppWithResourceMetadata {}

@Module({
  imports: [
    OAuthJwtModule.forRoot({
      issuers: [
        { issuer: 'https://a.test/', audience: ['https://api.test', 'api'] },
        { issuer: 'https://b.test/', audience: 'https://api.test', jwksUri: 'https://b.test/jwks' },
      ],
    }),
    ShopModule,
  ],
})
class ShopAppWithTwoIssuers {}

type Operations = Record<string, OperationObject>;

/** A URL on 127.0.0.1 where nothing listens: a port just bound (port 0) and released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return `http://127.0.0.1:${port}`;
}

function securityOf(document: OpenAPIObject): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Operations).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        operation.security,
      ]),
    ),
  );
}

describe('applyOAuthJwtOpenApi', () => {
  const apps: INestApplication[] = [];

  async function create(module: object, setup?: (app: INestApplication) => void) {
    const moduleRef = await Test.createTestingModule({ imports: [module as Type] }).compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(false);
    apps.push(app);
    setup?.(app);
    return app;
  }

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('gives each operation the merged scopes of controller and handler, one alternative per any-of choice', async () => {
    const app = await create(ShopApp);
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: TOKEN_URL },
    );
    const echo = [{ oauth2: ['orders'] }];
    expect(securityOf(document)).toEqual({
      'GET /orders': [{ oauth2: ['orders', 'orders:read'] }],
      'POST /orders': [
        { oauth2: ['admin', 'orders', 'tier:gold'] },
        { oauth2: ['admin', 'orders', 'tier:silver'] },
        { oauth2: ['orders', 'orders:write', 'tier:gold'] },
        { oauth2: ['orders', 'orders:write', 'tier:silver'] },
      ],
      'DELETE /orders/{id}': [{ oauth2: ['orders'] }],
      'GET /orders/echo/{path}': echo,
      'POST /orders/echo/{path}': echo,
      'PUT /orders/echo/{path}': echo,
      'DELETE /orders/echo/{path}': echo,
      'PATCH /orders/echo/{path}': echo,
      'OPTIONS /orders/echo/{path}': echo,
      'HEAD /orders/echo/{path}': echo,
      'SEARCH /orders/echo/{path}': echo,
      'GET /status': undefined,
      // @Public skips authentication, but ScopesGuard still wants a principal: documented as secured.
      'GET /status/secret': [{ oauth2: ['ops'] }],
    });
    const flow = (
      document.components?.securitySchemes?.['oauth2'] as {
        flows: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } };
      }
    ).flows.clientCredentials;
    expect(flow).toEqual({
      tokenUrl: TOKEN_URL,
      scopes: {
        admin: 'Used by POST /orders',
        ops: 'Used by GET /status/secret',
        orders: expect.stringMatching(
          /^Used by GET \/orders, POST \/orders, DELETE \/orders\/\{id\}/,
        ),
        'orders:read': 'Used by GET /orders',
        'orders:write': 'Used by POST /orders',
        'tier:gold': 'Used by POST /orders',
        'tier:silver': 'Used by POST /orders',
      },
    });
  });

  it('describes the claim requirement in the 403 and keeps responses the document already has', async () => {
    const app = await create(ShopApp);
    const scanned = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const remove = (scanned.paths['/orders/{id}'] as Operations)['delete']!;
    remove.responses['401'] = { description: 'mine' };
    const document = await applyOAuthJwtOpenApi(app, scanned, { tokenUrl: TOKEN_URL });
    const documented = (document.paths['/orders/{id}'] as Operations)['delete']!.responses;
    expect(documented['401']).toEqual({ description: 'mine' });
    expect((documented['403'] as { description: string }).description).toContain(
      'A claim requirement (tier = gold) is not met',
    );
    expect(remove.security).toBeUndefined(); // the input document is not changed
  });

  it('follows the global prefix, URI versioning and RouterModule paths', async () => {
    @Module({
      imports: [
        OAuthJwtModule.forRoot(MODULE_OPTIONS),
        ShopModule,
        RouterModule.register([{ path: 'shop', module: ShopModule }]),
      ],
    })
    class RoutedApp {}
    const app = await create(RoutedApp, (nest) => {
      nest.setGlobalPrefix('api');
      nest.enableVersioning({ type: VersioningType.URI, defaultVersion: '2' });
    });
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: TOKEN_URL },
    );
    expect(securityOf(document)).toMatchObject({
      'GET /api/v2/shop/orders': [{ oauth2: ['orders', 'orders:read'] }],
      'GET /api/v2/shop/status': undefined,
    });
    const unprefixed = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build(), {
        ignoreGlobalPrefix: true,
      }),
      { tokenUrl: TOKEN_URL },
    );
    expect(securityOf(unprefixed)).toMatchObject({
      'GET /v2/shop/orders': [{ oauth2: ['orders', 'orders:read'] }],
    });
  });

  it('with registerGlobalGuards false, documents only the routes that bind the guards', async () => {
    const app = await create(ManualGuardsApp);
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: TOKEN_URL },
    );
    expect(securityOf(document)).toEqual({
      'GET /reports': undefined,
      'GET /reports/guarded': [{ oauth2: ['reports'] }],
    });
  });

  it('marks public operations with an empty requirement when the document has a global one', async () => {
    const app = await create(ShopApp);
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder().addSecurityRequirements('oauth2').build(),
      ),
      { tokenUrl: TOKEN_URL, schemeName: 'oauth2', scopes: { extra: 'Listed though unused' } },
    );
    expect(securityOf(document)['GET /status']).toEqual([]);
    const schemes = document.components?.securitySchemes as Record<string, { flows: object }>;
    expect(schemes['oauth2']?.flows).toMatchObject({
      clientCredentials: { scopes: { extra: 'Listed though unused' } },
    });
  });

  it('rejects, naming the issuer, when no tokenUrl is given and discovery finds none', async () => {
    const issuer = await closedPortUrl();
    @Module({ imports: [OAuthJwtModule.forRoot({ ...MODULE_OPTIONS, issuer })] })
    class UndiscoverableApp {}
    const app = await create(UndiscoverableApp);
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    await expect(applyOAuthJwtOpenApi(app, document)).rejects.toThrow(
      `Could not discover the token endpoint of ${issuer} (OpenID Connect or RFC 8414 metadata); pass tokenUrl`,
    );
  });

  it('with tokenUrl null, leaves the token URL out without asking the issuer, and says so', async () => {
    const issuer = await closedPortUrl();
    @Module({ imports: [OAuthJwtModule.forRoot({ ...MODULE_OPTIONS, issuer }), ShopModule] })
    class IssuerDownApp {}
    const app = await create(IssuerDownApp);
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: null, description: 'Get a token.' },
    );
    expect(document.components?.securitySchemes?.['oauth2']).toEqual({
      type: 'oauth2',
      description:
        'Get a token. The token URL is not known yet (the issuer could not be reached): ' +
        'reload this document later.',
      flows: {
        clientCredentials: { scopes: expect.objectContaining({ orders: expect.any(String) }) },
      },
    });
    expect(securityOf(document)['GET /orders']).toEqual([{ oauth2: ['orders', 'orders:read'] }]);
  });

  it('with resourceMetadata, documents challenges with resource_metadata and not the metadata route', async () => {
    const app = await create(ShopAppWithResourceMetadata);
    await app.init();
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: TOKEN_URL },
    );
    const suffix = ', resource_metadata="https://api.test/.well-known/oauth-protected-resource"';
    const unauthorized = document.components?.responses?.['OAuthJwtUnauthorized'] as {
      description: string;
      headers: Record<string, { schema: { example: string } }>;
    };
    expect(unauthorized.headers['WWW-Authenticate']?.schema.example).toBe(
      `Bearer realm="api", error="invalid_token", error_description="The access token expired"${suffix}`,
    );
    expect(unauthorized.description).toContain(`\`WWW-Authenticate: Bearer realm="api"${suffix}\``);
    expect(unauthorized.description).toContain(`error_description="<reason>"${suffix}\``);
    const forbidden = (document.paths['/orders'] as Operations)['get']!.responses['403'] as {
      headers: Record<string, { schema: { example: string } }>;
    };
    expect(forbidden.headers['WWW-Authenticate']?.schema.example).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks ' +
        `a required scope", scope="orders:read orders"${suffix}`,
    );
    expect(Object.keys(document.paths).filter((path) => path.includes('.well-known'))).toEqual([]);
  });

  it('with several issuers, names each with its audience and says whose token URL is documented', async () => {
    const app = await create(ShopAppWithTwoIssuers);
    const document = await applyOAuthJwtOpenApi(
      app,
      SwaggerModule.createDocument(app, new DocumentBuilder().build()),
      { tokenUrl: TOKEN_URL },
    );
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['oauth2']);
    expect(
      (document.components?.securitySchemes?.['oauth2'] as { description: string }).description,
    ).toBe(
      'OAuth 2.0 client credentials: get an access token (JWT) from https://a.test/ for ' +
        'https://api.test or api, or from https://b.test/ for https://api.test and send it as ' +
        "`Authorization: Bearer <token>`. The token URL below is the first issuer's (https://a.test/).",
    );
  });

  it('rejects an application without OAuthJwtModule', async () => {
    @Module({ controllers: [StatusController] })
    class PlainApp {}
    const app = await create(PlainApp);
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    await expect(applyOAuthJwtOpenApi(app, document, { tokenUrl: TOKEN_URL })).rejects.toThrow(
      'applyOAuthJwtOpenApi(): the application does not import OAuthJwtModule',
    );
  });
});
