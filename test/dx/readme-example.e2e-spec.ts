// The example of README.md (test kit section), verbatim but for the import paths ('nest-oauth-jwt' and
// 'nest-oauth-jwt/testing' in an app): keep the two in step.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Client, OAuthJwtModule, RequireScopes } from '../../src/oauth-jwt';
import {
  asPartner,
  createTestIssuer,
  withBearer,
  type TestIssuer,
} from '../../src/oauth-jwt/testing';

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('read:orders')
  list(@Client() partner: { id: string }) {
    return { partner: partner.id, orders: [] };
  }
}

describe('GET /orders', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await createTestIssuer(); // RSA key, JWKS on 127.0.0.1, port 0
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthJwtModule.forRoot(
          issuer.moduleOptions({ clientResolver: (clientId) => ({ id: clientId }) }),
        ),
      ],
      controllers: [OrdersController],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('answers a partner with the read:orders scope', async () => {
    await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', ['read:orders'])
      .get('/orders')
      .expect(200, { partner: 'partner-a', orders: [] });
  });

  it('refuses a token without the scope with 403', async () => {
    await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', [])
      .get('/orders')
      .expect(403);
  });

  it('refuses an expired token with 401 invalid_token', async () => {
    await withBearer(
      request.agent(app.getHttpServer()),
      issuer.hostile.expired({ sub: 'partner-a' }),
    )
      .get('/orders')
      .expect(401)
      .expect(
        'WWW-Authenticate',
        'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
      );
  });
});
