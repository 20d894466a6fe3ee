import { Body, Controller, Get, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { OAuthJwtModule } from '../src/oauth-jwt';
import { createTestIssuer, type TestIssuer } from '../src/oauth-jwt/testing';

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return [];
  }

  @Post()
  create(@Body() body: unknown) {
    return body;
  }
}

/**
 * The warm path skips the header's syntax check for a token verified before, never the checks
 * that belong to the request: one credential, in the header only.
 */
describe('a cached token (warm path) over HTTP', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let token: string;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const moduleRef = await Test.createTestingModule({
      imports: [OAuthJwtModule.forRoot(issuer.moduleOptions({ logRefusals: false }))],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    token = issuer.token({ sub: 'partner-a' });
    // Verified once: from now on the token is cached.
    await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
  });

  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  it('still refuses the cached token with a second one in the query string: 400', async () => {
    await request(app.getHttpServer())
      .get('/things?access_token=x')
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
  });

  it('still refuses the cached token with a second one in the body: 400', async () => {
    await request(app.getHttpServer())
      .post('/things')
      .set('Authorization', `Bearer ${token}`)
      .send({ access_token: 'x' })
      .expect(400);
  });

  it('serves the cached token in any spelling of the scheme the strict reader accepts', async () => {
    await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `bearer ${token}`)
      .expect(200);
    await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `Bearer   ${token}`)
      .expect(200);
  });

  it('refuses the cached token with its payload changed: 401 bad signature', async () => {
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'partner-b', exp: 4e9 })).toString(
      'base64url',
    );
    await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `Bearer ${String(header)}.${payload}.${String(signature)}`)
      .expect(401);
  });
});
