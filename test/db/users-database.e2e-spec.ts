import request from 'supertest';
import { DATABASE } from '../../src/database/database.constants';
import type { OpenDatabase, DatabaseSettings } from '../../src/database/database';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { PartnersRepository } from '../../src/partners/partners.repository';
import { CreateUserDto } from '../../src/users/create-user.dto';
import type { User } from '../../src/users/user.interface';
import { UsersService } from '../../src/users/users.service';
import {
  startTestAuthorizationServer,
  TEST_CLIENTS,
  TEST_SCOPES,
} from '../support/authorization-server';
import { startAppFor, type TestApp } from '../support/test-app';
import { TEST_DATABASES, within } from './support/databases';

jest.setTimeout(120_000);

const { partnerA, partnerB } = TEST_CLIENTS;

describe.each(TEST_DATABASES)('the sample on %s', (_label, database) => {
  let issuer: DevIssuer;
  let settings: DatabaseSettings;
  let api: TestApp | undefined;
  let tokenA: string;
  let tokenB: string;

  const start = async (): Promise<TestApp> => {
    api = await startAppFor(issuer, { database: settings });
    return api;
  };
  const url = (): string => api!.url;
  const post = (token: string, name: string, email: string) =>
    request(url()).post('/users').auth(token, { type: 'bearer' }).send({ name, email });
  /** partner-b's tokens cannot create users: its users go straight through the service. */
  const seedB = (name: string, email: string): Promise<User> =>
    api!.app
      .get(UsersService)
      .create(partnerB.clientId, Object.assign(new CreateUserDto(), { name, email }));
  const get = (token: string, path: string) =>
    request(url()).get(path).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    issuer = await startTestAuthorizationServer();
    settings = await database.settings();
    [tokenA, tokenB] = await Promise.all([
      issuer.getToken(partnerA.clientId, partnerA.clientSecret, TEST_SCOPES),
      issuer.getToken(partnerB.clientId, partnerB.clientSecret, partnerB.scopes),
    ]);
    await start();
  });

  afterAll(async () => {
    await api?.close();
    await issuer.stop();
  });

  it('keeps one email per partner (409, whatever its case); another partner may use it', async () => {
    await post(tokenA, 'Grace Hopper', 'grace@acme.example').expect(201);
    const again = await post(tokenA, 'Grace H.', 'GRACE@acme.example').expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'A user with this email already exists',
    });
    await expect(seedB('Grace at Globex', 'grace@acme.example')).resolves.toBeDefined();
  });

  it("never shows a partner another's users (list, get, delete)", async () => {
    const theirs = await seedB('Edsger Dijkstra', 'edsger@globex.example');
    const mine = (await get(tokenA, '/users').expect(200)).body as User[];
    expect(mine.map((user) => user.email)).not.toContain('edsger@globex.example');
    await get(tokenA, `/users/${theirs.id}`).expect(404);
    await request(url()).delete(`/users/${theirs.id}`).auth(tokenA, { type: 'bearer' }).expect(404);
    await get(tokenB, `/users/${theirs.id}`).expect(200);
    // Not an id the API makes: missing, not a database error.
    await get(tokenA, '/users/not-a-uuid').expect(404);
  });

  it('pages GET /users with limit and cursor, linking the next page (RFC 8288) while there is more', async () => {
    for (let i = 0; i < 4; i += 1) await post(tokenA, `Pager ${i}`, `pager${i}@acme.example`);
    const all = (await get(tokenA, '/users').expect(200)).body as User[];
    expect(all.length).toBe(5);
    expect(all.map((user) => user.id)).toEqual([...all.map((user) => user.id)].sort());

    const seen: User[] = [];
    let next: string | undefined = '/users?limit=2';
    let pages = 0;
    while (next && pages < 10) {
      const response: request.Response = await get(tokenA, next).expect(200);
      expect(Array.isArray(response.body)).toBe(true);
      seen.push(...(response.body as User[]));
      const link: unknown = response.headers['link'];
      next = typeof link === 'string' ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (link) expect(next).toMatch(/^\/users\?limit=2&cursor=[0-9a-f-]{36}$/);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    const exact = await get(tokenA, '/users?limit=5').expect(200);
    expect(exact.headers['link']).toBeUndefined();
  });

  it.each([
    ['/users?limit=0', 'limit must be an integer from 1 to 200'],
    ['/users?limit=201', 'limit must be an integer from 1 to 200'],
    ['/users?limit=ten', 'limit must be an integer from 1 to 200'],
    ['/users?limit=1&limit=2', 'limit must be an integer from 1 to 200'],
    ['/users?cursor=%27%20OR%201%3D1', 'cursor must be the cursor of a previous page'],
  ])('answers %s with 400 and the reason', async (path, reason) => {
    const response = await get(tokenA, path).expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [reason] });
  });

  it('cuts a partner off within 5 s of a change in the database (suspension, then a revoked scope)', async () => {
    const partners = api!.app.get(PartnersRepository);
    await get(tokenA, '/users').expect(200);
    await partners.setStatus(partnerA.clientId, 'suspended');
    await within(5_000, async () => {
      const response = await get(tokenA, '/users');
      return response.status === 403 && response.body.message === 'The client is suspended';
    });
    await partners.setStatus(partnerA.clientId, 'active');
    await within(5_000, async () => (await get(tokenA, '/users')).status === 200);
    await partners.setScopes(partnerA.clientId, ['read:users', 'create:users']);
    await within(5_000, async () => {
      const response = await get(tokenA, '/users');
      return (
        response.status === 403 &&
        response.headers['www-authenticate']?.includes('error="insufficient_scope"') === true
      );
    });
    await partners.setScopes(partnerA.clientId, TEST_SCOPES);
    await within(5_000, async () => (await get(tokenA, '/users')).status === 200);
  });

  it('keeps the users across a restart', async () => {
    const before = (await get(tokenA, '/users').expect(200)).body as User[];
    await api!.close();
    api = undefined;
    await start();
    const after = (await get(tokenA, '/users').expect(200)).body as User[];
    expect(after).toEqual(before);
  });

  it('answers 503 with Retry-After, and no detail, when the database fails', async () => {
    await get(tokenA, '/users').expect(200); // the partner is now cached: the users query fails
    await api!.app.get<string, OpenDatabase>(DATABASE).close();
    const response = await get(tokenA, '/users');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toEqual({
      statusCode: 503,
      message: 'The database is temporarily unavailable',
    });
    expect(JSON.stringify(response.body)).not.toMatch(/select|users|query/i);
  });
});
