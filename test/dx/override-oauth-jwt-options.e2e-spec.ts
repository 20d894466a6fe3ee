import {
  Controller,
  Get,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type LogLevel,
  type Type,
} from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
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

/** An app of OrdersController protected by `oauthJwt`: the module as the app configures it. */
function appWith(oauthJwt: DynamicModule): Type {
  @Module({ imports: [PartnersModule, oauthJwt], controllers: [OrdersController] })
  class ProductionAppModule {}
  return ProductionAppModule;
}

/** The production issuer the apps trust; its keys are fetched at start-up. */
const PRODUCTION = { issuer: PRODUCTION_ISSUER, audience: 'prod-api' };

/** Apps as they run in production: their issuer is a real one, keys fetched at start-up. */
const ForRootAppModule = appWith(
  OAuthJwtModule.forRoot({
    ...PRODUCTION,
    keySet: { warmUp: true },
    clientResolver: new PartnersService(),
  }),
);

const ForRootAsyncAppModule = appWith(
  OAuthJwtModule.forRootAsync({
    imports: [PartnersModule],
    inject: [PartnersService],
    useFactory: (partners: PartnersService) => ({
      ...PRODUCTION,
      keySet: { warmUp: true },
      clientResolver: partners,
    }),
  }),
);

/** Apps that trust several production issuers (each its own profile), or share a secret with one. */
const IssuersAppModule = appWith(
  OAuthJwtModule.forRootAsync({
    imports: [PartnersModule],
    inject: [PartnersService],
    useFactory: (partners: PartnersService) => ({
      issuers: [
        { ...PRODUCTION, profile: 'auth0' as const },
        {
          issuer: 'https://login.example.com/tenant/v2.0',
          audience: 'prod-app-id',
          jwksUri: 'https://login.example.com/tenant/keys',
          profile: 'entra' as const,
        },
      ],
      keySet: { warmUp: true },
      clientResolver: partners,
    }),
  }),
);

const SharedSecretAppModule = appWith(
  OAuthJwtModule.forRoot({
    ...PRODUCTION,
    secret: 'a-production-shared-secret-of-32-bytes-or-more',
    clientResolver: new PartnersService(),
  }),
);

/** Listens on 127.0.0.1 (port 0), runs `body` with the app, then closes it and runs `cleanup`. */
async function whileListening(
  moduleRef: TestingModule,
  body: (app: INestApplication) => Promise<void>,
  cleanup: () => Promise<void>,
  logLevels: LogLevel[] = ['error', 'warn'],
): Promise<void> {
  const app = moduleRef.createNestApplication();
  app.useLogger(logLevels);
  try {
    await app.listen(0, '127.0.0.1');
    await body(app);
  } finally {
    try {
      await app.close();
    } finally {
      await cleanup();
    }
  }
}

/** GET /orders (read:orders) with a token `issuer` minted for `clientId`. */
const ordersAs = (app: INestApplication, issuer: TestIssuer, clientId: string): request.Test =>
  asPartner(request.agent(app.getHttpServer()), issuer, clientId, ['read:orders']).get('/orders');

/** What the app sent to the production issuer: nothing, in every test here. */
const toProduction = (outgoing: OutgoingRequests): string[] =>
  outgoing.urls.filter((url) => url.startsWith('https://login.example.com'));

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
      await ordersAs(app, issuer, 'partner-a').expect(200, { partner: 'Acme Corp', orders: [] });
    });

    it('keeps the app’s resolver: a client it does not know gets 403', async () => {
      await ordersAs(app, issuer, 'stranger').expect(403);
    });

    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      await request(app.getHttpServer())
        .get('/orders')
        .expect(401)
        .expect('WWW-Authenticate', 'Bearer realm="api"');
    });

    it('fetches the test issuer’s keys and sends nothing to the production issuer', () => {
      expect(toProduction(outgoing)).toEqual([]);
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
    await whileListening(
      moduleRef,
      async (app) => {
        await ordersAs(app, issuer, 'stranger').expect(200, {
          partner: 'From the test',
          orders: [],
        });
      },
      () => issuer.close(),
    );
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
    await whileListening(
      moduleRef,
      async (app) => {
        for (const trusted of [a, b]) {
          await ordersAs(app, trusted, 'partner-a').expect(200, {
            partner: 'Acme Corp',
            orders: [],
          });
        }
        // The `issuer` argument is not trusted when overrides.issuers is given.
        await ordersAs(app, issuer, 'partner-a').expect(401);
        expect(toProduction(outgoing)).toEqual([]);
      },
      async () => {
        outgoing.stop();
        await Promise.all([issuer.close(), a.close(), b.close()]);
      },
      ['error'],
    );
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
    await whileListening(
      moduleRef,
      async (app) => {
        await ordersAs(app, issuer, 'stranger').expect(200, { partner: 'Whole', orders: [] });
        expect(toProduction(outgoing)).toEqual([]);
      },
      async () => {
        outgoing.stop();
        await issuer.close();
      },
    );
  });
});
