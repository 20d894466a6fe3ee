import { Controller, Get, Req, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  Client,
  getClient,
  OAuthJwtModule,
  PartnerCache,
  RequireScopes,
  type JwtClaims,
  type PartnerEntitlements,
} from '../src/oauth-jwt';
import { createTestIssuer, type TestIssuer } from '../src/oauth-jwt/testing';

@Controller('me')
class MeController {
  @Get()
  me(@Client() partner: { id: string; tenant: unknown }) {
    return partner;
  }

  @Get('from-request')
  fromRequest(@Req() request: object) {
    return getClient(request) ?? { none: true };
  }
}

@Controller('users')
class UsersController {
  @Get()
  @RequireScopes('list:users')
  list() {
    return [];
  }
}

/** The live registry the resolver reads (a database in a real app). */
const registry = new Map<string, PartnerEntitlements & { id: string }>();

/**
 * The partner step over real HTTP: only a partner object admits, a cached verdict never serves a
 * token whose claims differ, a failing or hanging resolver is a 503 with Retry-After (never 500/401).
 */
describe('partner step (resolver answers over HTTP)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  const calls: string[] = [];

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const resolver = (clientId: string, claims: JwtClaims) => {
      calls.push(clientId);
      switch (clientId) {
        case 'says-false':
          return false;
        case 'throws':
          throw new Error('ECONNREFUSED 10.0.0.1:5432');
        case 'rejects':
          return Promise.reject(new Error('database is down'));
        case 'hangs':
          return new Promise<never>(() => undefined);
        case 'live-a':
        case 'live-b':
          return registry.get(clientId);
        default:
          // Admits tenant t1 only: a resolver that reads a claim.
          return claims['tenant'] === 't1' ? { id: clientId, tenant: claims['tenant'] } : undefined;
      }
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthJwtModule.forRoot(
          issuer.moduleOptions({ clientResolver: resolver, clientResolverTimeoutMs: 200 }),
        ),
      ],
      controllers: [MeController, UsersController],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  const get = (sub: string, tenant = 't1') =>
    request(app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${issuer.token({ sub, claims: { tenant } })}`);

  it('admits the partner object the resolver returns', async () => {
    await get('partner-a').expect(200, { id: 'partner-a', tenant: 't1' });
  });

  it('getClient(request) reads the same partner outside a handler parameter', async () => {
    await request(app.getHttpServer())
      .get('/me/from-request')
      .set(
        'Authorization',
        `Bearer ${issuer.token({ sub: 'partner-a', claims: { tenant: 't1' } })}`,
      )
      .expect(200, { id: 'partner-a', tenant: 't1' });
  });

  it('refuses a resolver answer of false with 403 unknown_partner', async () => {
    await get('says-false')
      .expect(403)
      .expect(
        'WWW-Authenticate',
        'Bearer realm="api", error="insufficient_scope", error_description="The client is not a registered partner"',
      );
  });

  it('does not reuse the verdict of a t1 token for a t2 token of the same client', async () => {
    await get('partner-b', 't1').expect(200);
    await get('partner-b', 't2').expect(403);
  });

  it.each(['throws', 'rejects', 'hangs'])(
    'answers 503 with Retry-After and no challenge when the resolver %s',
    async (sub) => {
      const response = await get(sub);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The partner registry is temporarily unavailable',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|database/);
    },
  );

  it('calls the resolver once for 20 concurrent first requests with one token', async () => {
    const token = issuer.token({ sub: 'concurrent', claims: { tenant: 't1' } });
    const before = calls.filter((id) => id === 'concurrent').length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(calls.filter((id) => id === 'concurrent').length - before).toBe(1);
  });

  describe('live entitlements', () => {
    const list = (sub: string) =>
      request(app.getHttpServer())
        .get('/users')
        .set('Authorization', `Bearer ${issuer.token({ sub, scopes: ['list:users'] })}`);

    it('a suspension evicted through PartnerCache refuses the same token at once (403 partner_suspended)', async () => {
      registry.set('live-a', { id: 'live-a', status: 'active' });
      const token = issuer.token({ sub: 'live-a', scopes: ['list:users'] });
      const call = () =>
        request(app.getHttpServer()).get('/users').set('Authorization', `Bearer ${token}`);
      await call().expect(200);
      registry.set('live-a', { id: 'live-a', status: 'suspended' });
      await call().expect(200); // still cached: the TTL bounds how late it takes effect
      app.get(PartnerCache).evict('live-a');
      await call()
        .expect(403)
        .expect(
          'WWW-Authenticate',
          'Bearer realm="api", error="insufficient_scope", error_description="The client is suspended"',
        );
      registry.set('live-a', { id: 'live-a', status: 'active' });
      app.get(PartnerCache).evict('live-a');
      await call().expect(200);
    });

    it('a revoked scope refuses with 403 insufficient_scope naming it, though the token still carries it', async () => {
      registry.set('live-b', { id: 'live-b', grantedScopes: ['read:users'] });
      await list('live-b')
        .expect(403)
        .expect(
          'WWW-Authenticate',
          'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="list:users"',
        );
      registry.set('live-b', { id: 'live-b', grantedScopes: ['read:users', 'list:users'] });
      app.get(PartnerCache).evict('live-b');
      await list('live-b').expect(200);
    });
  });
});
