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

/** Apps that trust several production issuers (each its own profile), or share a secret with one. */
@Module({
  imports: [
    OAuthJwtModule.forRootAsync({
      imports: [PartnersModule],
      inject: [PartnersService],
      useFactory: (partners: PartnersService) => ({
        issuers: [
          { issuer: PRODUCTION_ISSUER, audience: 'prod-api', profile: 'auth0' },
          {
            issuer: 'https://login.example.com/tenant/v2.0',
            audience: 'prod-app-id',
            jwksUri: 'https://login.example.com/tenant/keys',
            profile: 'entra',
          },
        ],
        keySet: { warmUp: true },
        clientResolver: partners,
      }),
    }),
  ],
  controllers: [OrdersController],
})
class IssuersAppModule {}

@Module({
  imports: [
    PartnersModule,
    OAuthJwtModule.forRoot({
      issuer: PRODUCTION_ISSUER,
      audience: 'prod-api',
      secret: 'a-production-shared-secret-of-32-bytes-or-more',
      clientResolver: new PartnersService(),
    }),
  ],
  controllers: [OrdersController],
})
class SharedSecretAppModule {}

describe.each([
  ['forRoot', ForRootAppModule],
  ['forRootAsync', ForRootAsyncAppModule],
  ['issuers list', IssuersAppModule],
  ['shared secret', SharedSecretAppModule],
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
      try {
        await app.close();
      } finally {
        // Even when start-up failed: an open issuer server would keep Jest waiting.
        await issuer.close();
      }
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

describe('overrideOAuthJwtOptions() with overrides.issuers: several test issuers', () => {
  it('trusts exactly the listed test issuers, none of the app’s', async () => {
    const outgoing = watchOutgoingRequests();
    const [issuer, a, b] = await Promise.all([
      createTestIssuer(),
      createTestIssuer({ audience: 'https://a.api.test' }),
      createTestIssuer({ audience: 'https://b.api.test' }),
    ]);
    const moduleRef = await overrideOAuthJwtOptions(
      Test.createTestingModule({ imports: [IssuersAppModule] }),
      issuer,
      { issuers: [a.trustedIssuer(), b.trustedIssuer()] },
    ).compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(['error']);
    try {
      await app.listen(0, '127.0.0.1');
      for (const trusted of [a, b]) {
        await asPartner(request.agent(app.getHttpServer()), trusted, 'partner-a', ['read:orders'])
          .get('/orders')
          .expect(200, { partner: 'Acme Corp', orders: [] });
      }
      // The `issuer` argument is not trusted when overrides.issuers is given.
      await asPartner(request.agent(app.getHttpServer()), issuer, 'partner-a', ['read:orders'])
        .get('/orders')
        .expect(401);
      expect(outgoing.urls.filter((url) => url.startsWith('https://login.example.com'))).toEqual(
        [],
      );
    } finally {
      outgoing.stop();
      await app.close();
      await Promise.all([issuer.close(), a.close(), b.close()]);
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
