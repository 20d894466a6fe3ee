// The example of README.md ("Testing a real AppModule whose forRoot points at production"),
// verbatim but for the import paths: readme-examples.e2e-spec.ts keeps the two in step.
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { OAuthJwtModule, RequireScopes } from '../../src/oauth-jwt';
import {
  asPartner,
  createTestIssuer,
  overrideOAuthJwtOptions,
  type TestIssuer,
} from '../../src/oauth-jwt/testing';

// Your app as it runs in production (in your code base: import { AppModule } from './app.module').
@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('read:orders')
  list() {
    return [];
  }
}

@Module({
  imports: [
    OAuthJwtModule.forRoot({
      issuer: 'https://login.example.com/',
      audience: 'https://orders.example.com',
      clientResolver: (clientId) => (clientId === 'partner-a' ? { clientId } : undefined),
    }),
  ],
  controllers: [OrdersController],
})
class AppModule {}

describe('AppModule with its OAuthJwtModule pointed at a test issuer', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const moduleRef = await overrideOAuthJwtOptions(
      Test.createTestingModule({ imports: [AppModule] }),
      issuer, // its issuer, audience and jwksUri replace the production ones
    ).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('serves a partner the app knows', async () => {
    await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', ['read:orders'])
      .get('/orders')
      .expect(200, []);
  });

  it('refuses a client the app’s own clientResolver does not know with 403', async () => {
    await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-z', ['read:orders'])
      .get('/orders')
      .expect(403);
  });
});
