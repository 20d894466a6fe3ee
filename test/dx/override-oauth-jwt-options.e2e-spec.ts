import {
  Controller,
  Get,
  Injectable,
  Module,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  Client,
  OAUTH_JWT_OPTIONS,
  OAuthJwtModule,
  RequireScopes,
  type ClientResolver,
} from '../../src/oauth-jwt';
import {
  asPartner,
  createTestIssuer,
  overrideOAuthJwtOptions,
  type TestIssuer,
} from '../../src/oauth-jwt/testing';
import { watchOutgoingRequests, type OutgoingRequests } from './support/outgoing-requests';

const PRODUCTION_ISSUER = 'https://login.example.com/';

interface Partner {
  readonly clientId: string;
  readonly name: string;
}

@Injectable()
class PartnersService implements ClientResolver<Partner> {
  resolve(clientId: string): Partner | undefined {
    return clientId === 'partner-a' ? { clientId, name: 'Acme Corp' } : undefined;
  }
}

@Module({ providers: [PartnersService], exports: [PartnersService] })
class PartnersModule {}

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('read:orders')
  list(@Client() partner: Partner) {
    return { partner: partner.name, orders: [] };
  }
}

/** Apps as they run in production: their issuer is a real one, keys fetched at start-up. */
@Module({
  imports: [
    PartnersModule,
    OAuthJwtModule.forRoot({
      issuer: PRODUCTION_ISSUER,
      audience: 'prod-api',
      keySet: { warmUp: true },
      clientResolver: new PartnersService(),
    }),
  ],
  controllers: [OrdersController],
})
class ForRootAppModule {}

@Module({
  imports: [
    OAuthJwtModule.forRootAsync({
      imports: [PartnersModule],
      inject: [PartnersService],
      useFactory: (partners: PartnersService) => ({
        issuer: PRODUCTION_ISSUER,
        audience: 'prod-api',
        keySet: { warmUp: true },
        clientResolver: partners,
      }),
    }),
  ],
  controllers: [OrdersController],
})
class ForRootAsyncAppModule {}

describe.each([
  ['forRoot', ForRootAppModule],
  ['forRootAsync', ForRootAsyncAppModule],
] as [string, Type][])(
  'overrideOAuthJwtOptions() on an AppModule whose %s points at production',
  (_name, appModule) => {
    let issuer: TestIssuer;
    let app: INestApplication;
    let outgoing: OutgoingRequests;

    beforeAll(async () => {
      outgoing = watchOutgoingRequests();
      issuer = await createTestIssuer();
      const moduleRef = await overrideOAuthJwtOptions(
        Test.createTestingModule({ imports: [appModule] }),
        issuer,
      ).compile();
      app = moduleRef.createNestApplication();
      app.useLogger(['error', 'warn']);
      await app.listen(0, '127.0.0.1');
    });

    afterAll(async () => {
      outgoing.stop();
      await app.close();
      await issuer.close();
    });

    it('serves a test-kit token, the partner resolved by the app’s own resolver', async () => {
      await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', ['read:orders'])
        .get('/orders')
        .expect(200, { partner: 'Acme Corp', orders: [] });
    });

    it('keeps the app’s resolver: a client it does not know gets 403', async () => {
      await asPartner(request.agent(app.getHttpServer()), issuer, 'stranger', ['read:orders'])
        .get('/orders')
        .expect(403);
    });

    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      await request(app.getHttpServer())
        .get('/orders')
        .expect(401)
        .expect('WWW-Authenticate', 'Bearer realm="api"');
    });

    it('fetches the test issuer’s keys and sends nothing to the production issuer', () => {
      expect(outgoing.urls.filter((url) => url.startsWith('https://login.example.com'))).toEqual(
        [],
      );
      expect(issuer.jwksRequestCount).toBeGreaterThan(0);
      expect(outgoing.urls).toContain(issuer.jwksUri); // the watch sees the key fetches
    });
  },
);

describe('overrideOAuthJwtOptions() with overrides', () => {
  it('applies them over the app’s options and the test issuer’s', async () => {
    const issuer = await createTestIssuer();
    const moduleRef = await overrideOAuthJwtOptions(
      Test.createTestingModule({ imports: [ForRootAppModule] }),
      issuer,
      { clientResolver: (clientId) => ({ clientId, name: 'From the test' }) },
    ).compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(['error', 'warn']);
    try {
      await app.listen(0, '127.0.0.1');
      await asPartner(request.agent(app.getHttpServer()), issuer, 'stranger', ['read:orders'])
        .get('/orders')
        .expect(200, { partner: 'From the test', orders: [] });
    } finally {
      await app.close();
      await issuer.close();
    }
  });
});

describe('overriding OAUTH_JWT_OPTIONS instead (README: replace the options whole)', () => {
  it('replaces the app’s options whole: the test’s resolver answers', async () => {
    const issuer = await createTestIssuer();
    const outgoing = watchOutgoingRequests();
    const moduleRef = await Test.createTestingModule({ imports: [ForRootAsyncAppModule] })
      .overrideProvider(OAUTH_JWT_OPTIONS)
      .useValue(
        issuer.moduleOptions({ clientResolver: (clientId) => ({ clientId, name: 'Whole' }) }),
      )
      .compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(['error', 'warn']);
    try {
      await app.listen(0, '127.0.0.1');
      await asPartner(request.agent(app.getHttpServer()), issuer, 'stranger', ['read:orders'])
        .get('/orders')
        .expect(200, { partner: 'Whole', orders: [] });
      expect(outgoing.urls.filter((url) => url.startsWith('https://login.example.com'))).toEqual(
        [],
      );
    } finally {
      outgoing.stop();
      await app.close();
      await issuer.close();
    }
  });
});
