import request from 'supertest';
import type { DevIssuer } from '../src/dev-issuer/dev-issuer';
import { HTTP_ADAPTERS } from '../src/http-adapter';
import { CreateUserDto } from '../src/users/create-user.dto';
import type { User } from '../src/users/user.interface';
import { UsersService } from '../src/users/users.service';
import {
  startTestAuthorizationServer,
  TEST_CLIENTS,
  TEST_SCOPES,
  type TestClient,
} from './support/authorization-server';
import { expectRefusal, insufficientScope, REFUSALS } from './support/bearer-refusals';
import { closeAll, E2E_TIMEOUT_MS, startAppFor, type TestApp } from './support/test-app';
import { decodeJws, flipMiddleOfSignature, withBearer } from '../src/oauth-jwt/testing';

const { partnerA, partnerB, stranger, readOnly, scpClient, permissionsClient, auth0Style } =
  TEST_CLIENTS;

jest.setTimeout(E2E_TIMEOUT_MS);

/** The answer to a user id the partner does not own: the same whether it exists or not. */
const USER_NOT_FOUND = { statusCode: 404, error: 'Not Found', message: 'User not found' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One authorization server for the file; one app per HTTP adapter (the blocks run in turn). */
let issuer: DevIssuer | undefined;
let api: TestApp | undefined;
let url: string;

/** Tokens obtained once from the running authorization server and reused by every test. */
const tokens = {} as {
  partnerA: string;
  partnerB: string;
  stranger: string;
  readOnly: string;
  scp: string;
  permissions: string;
  auth0Style: string;
  /** partner-a with no scope requested: the token carries no scope claim at all. */
  partnerANoScope: string;
  /** partner-a with every scope but the key one. */
  partnerAWithout: Record<string, string>;
};

async function tokenFor(client: TestClient, scopes: string[] = client.scopes): Promise<string> {
  return running().getToken(client.clientId, client.clientSecret, scopes);
}

const bearer = (token: string): string => `Bearer ${token}`;

/** A supertest agent on the app whose every request sends `token` as its bearer credential. */
const withToken = (token: string): request.Agent => withBearer(request.agent(url), token);

async function createUser(token: string, name: string, email: string): Promise<User> {
  const response = await withToken(token).post('/users').send({ name, email });
  expect(response.status).toBe(201);
  return response.body as User;
}

/** Seeds a user straight into the store, for partners whose tokens cannot create users. */
function seedUser(partnerId: string, name: string, email: string): Promise<User> {
  if (!api) throw new Error('the app is not running');
  return api.app
    .get(UsersService)
    .create(partnerId, Object.assign(new CreateUserDto(), { name, email }));
}

function running(): DevIssuer {
  if (!issuer) throw new Error('the authorization server is not running');
  return issuer;
}

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  const without = await Promise.all(
    TEST_SCOPES.map(async (scope) => {
      const token = await tokenFor(
        partnerA,
        partnerA.scopes.filter((granted) => granted !== scope),
      );
      return [scope, token] as const;
    }),
  );
  Object.assign(tokens, {
    partnerA: await tokenFor(partnerA),
    partnerB: await tokenFor(partnerB),
    stranger: await tokenFor(stranger),
    readOnly: await tokenFor(readOnly),
    // These two request no scope: their scopes arrive only in `scp` / `permissions`.
    scp: await tokenFor(scpClient, []),
    permissions: await tokenFor(permissionsClient, []),
    auth0Style: await tokenFor(auth0Style),
    partnerANoScope: await tokenFor(partnerA, []),
    partnerAWithout: Object.fromEntries(without),
  });
});

afterAll(async () => {
  await issuer?.stop();
});

describe.each(HTTP_ADAPTERS)('partner users API over %s', (adapter) => {
  beforeAll(async () => {
    api = await startAppFor(running(), {}, adapter);
    url = api.url;
  });

  afterAll(async () => {
    await closeAll(api);
    api = undefined;
  });

  describe('GET /health', () => {
    it('answers 200 {"status":"ok"} without a token', async () => {
      const response = await request(url).get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it.each(['Bearer', 'Bearer a b', 'Basic xxx', 'Bearer not-a-jwt'])(
      'answers 200 with the garbage Authorization header %j (public routes never read it)',
      async (header) => {
        const response = await request(url).get('/health').set('Authorization', header);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ status: 'ok' });
      },
    );

    it('answers 200 with a token in the query string (public routes never read it)', async () => {
      const response = await request(url).get('/health').query({ access_token: tokens.partnerA });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });
  });

  describe('GET /partners/me', () => {
    it.each([
      ['partner-a', () => tokens.partnerA, { clientId: 'partner-a', name: 'Acme Corp' }],
      ['partner-b', () => tokens.partnerB, { clientId: 'partner-b', name: 'Globex' }],
    ])('answers 200 with the calling partner for %s', async (_name, token, expected) => {
      const response = await withToken(token()).get('/partners/me');
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expected);
    });

    it('answers 200 for a valid token that grants no scope at all', async () => {
      expect(decodeJws(tokens.partnerANoScope).payload).not.toHaveProperty('scope');
      const response = await withToken(tokens.partnerANoScope).get('/partners/me');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ clientId: 'partner-a', name: 'Acme Corp' });
    });

    it('keeps the subject "partner-c@clients" whole under the generic profile (the suffix is Auth0\'s)', async () => {
      expect(decodeJws(tokens.auth0Style).payload['sub']).toBe('partner-c@clients');
      const response = await withToken(tokens.auth0Style).get('/partners/me');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ clientId: 'partner-c@clients', name: 'Initech' });
    });

    it('refuses a valid token of a client missing from the partners file with 403, not invalid_token', async () => {
      const response = await withToken(tokens.stranger).get('/partners/me');
      expectRefusal(response, REFUSALS.unknownPartner);
    });
  });

  describe('GET /users (list:users)', () => {
    it("answers 200 with the calling partner's users only", async () => {
      const mine = await createUser(tokens.partnerA, 'Grace Hopper', 'grace@acme.example');
      const theirs = await seedUser('partner-b', 'Edsger Dijkstra', 'edsger@globex.example');

      const listA = await withToken(tokens.partnerA).get('/users');
      expect(listA.status).toBe(200);
      expect(listA.body).toContainEqual(mine);
      expect(listA.body).not.toContainEqual(expect.objectContaining({ id: theirs.id }));

      const listB = await withToken(tokens.partnerB).get('/users');
      expect(listB.status).toBe(200);
      expect(listB.body).toContainEqual(theirs);
      expect(listB.body).not.toContainEqual(expect.objectContaining({ id: mine.id }));
    });

    it('answers 200 with an empty list for a partner without users', async () => {
      const response = await withToken(tokens.readOnly).get('/users');
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });
  });

  describe('GET /users/:id (read:users)', () => {
    it('answers 200 with the user', async () => {
      const user = await createUser(tokens.partnerA, 'Alan Turing', 'alan@acme.example');
      const response = await withToken(tokens.partnerA).get(`/users/${user.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(user);
    });

    it('answers 404 for an id that does not exist', async () => {
      const response = await withToken(tokens.partnerA).get(
        '/users/00000000-0000-4000-8000-000000000000',
      );
      expect(response.status).toBe(404);
      expect(response.body).toEqual(USER_NOT_FOUND);
    });

    it("answers 404, exactly like a missing user, for another partner's user", async () => {
      const user = await createUser(tokens.partnerA, 'Ada Lovelace', 'ada@acme.example');
      const response = await withToken(tokens.partnerB).get(`/users/${user.id}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(USER_NOT_FOUND);
    });
  });

  describe('POST /users (create:users)', () => {
    it('answers 201 with {"id","name","email"}', async () => {
      const response = await withToken(tokens.partnerA)
        .post('/users')
        .send({ name: 'Margaret Hamilton', email: 'margaret@acme.example' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        name: 'Margaret Hamilton',
        email: 'margaret@acme.example',
      });
      const read = await withToken(tokens.partnerA).get(`/users/${(response.body as User).id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(response.body);
    });

    it.each([
      [
        'an empty name and an invalid email',
        { name: '', email: 'not-an-email' },
        ['name should not be empty', 'email must be an email'],
      ],
      [
        'missing fields',
        {},
        [
          'name must be shorter than or equal to 200 characters',
          'name should not be empty',
          'name must be a string',
          'email must be shorter than or equal to 320 characters',
          'email must be an email',
        ],
      ],
      [
        'a name that is not a string',
        { name: 42, email: 'x@acme.example' },
        ['name must be shorter than or equal to 200 characters', 'name must be a string'],
      ],
    ])('answers 400 with the reasons for %s', async (_case, body, reasons) => {
      const response = await withToken(tokens.partnerA).post('/users').send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.arrayContaining(reasons),
      });
      expect((response.body as { message: string[] }).message).toHaveLength(reasons.length);
    });

    it('answers 400 for unknown fields (whitelist, forbidNonWhitelisted)', async () => {
      const response = await withToken(tokens.partnerA)
        .post('/users')
        .send({ name: 'Mallory', email: 'mallory@acme.example', id: 'chosen', role: 'admin' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.arrayContaining([
          'property id should not exist',
          'property role should not exist',
        ]),
      });
      const list = await withToken(tokens.partnerA).get('/users');
      expect(list.body).not.toContainEqual(expect.objectContaining({ name: 'Mallory' }));
    });

    it('answers 403 before validating the body when the scope is missing', async () => {
      const response = await withToken(tokens.partnerB)
        .post('/users')
        .send({ name: '', unknown: true });
      expectRefusal(response, insufficientScope('create:users'));
    });
  });

  describe('DELETE /users/:id (delete:users)', () => {
    it('answers 204 with no body, after which the user is gone (404)', async () => {
      const user = await createUser(tokens.partnerA, 'Barbara Liskov', 'barbara@acme.example');
      const partnerA = withToken(tokens.partnerA);

      const removed = await partnerA.delete(`/users/${user.id}`);
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');

      expect((await partnerA.get(`/users/${user.id}`)).status).toBe(404);
      const again = await partnerA.delete(`/users/${user.id}`);
      expect(again.status).toBe(404);
      expect(again.body).toEqual(USER_NOT_FOUND);
    });

    it('answers 404 for an id that does not exist', async () => {
      const response = await withToken(tokens.partnerA).delete('/users/no-such-user');
      expect(response.status).toBe(404);
    });
  });

  describe('scopes: every endpoint with and without its scope', () => {
    const endpoints = [
      {
        route: 'GET /users',
        scope: 'list:users',
        allowed: 200,
        call: () => request(url).get('/users'),
      },
      {
        route: 'GET /users/:id',
        scope: 'read:users',
        allowed: 404, // the made-up id: past the guards
        call: () => request(url).get('/users/00000000-0000-4000-8000-000000000000'),
      },
      {
        route: 'POST /users',
        scope: 'create:users',
        allowed: 201,
        call: () =>
          request(url).post('/users').send({ name: 'Scoped', email: 'scoped@acme.example' }),
      },
      {
        route: 'DELETE /users/:id',
        scope: 'delete:users',
        allowed: 404, // the made-up id: past the guards
        call: () => request(url).delete('/users/00000000-0000-4000-8000-000000000000'),
      },
    ];

    it.each(endpoints)(
      '$route answers $allowed to a token holding $scope',
      async ({ call, allowed }) => {
        const response = await call().set('Authorization', bearer(tokens.partnerA));
        expect(response.status).toBe(allowed);
        expect(response.headers['www-authenticate']).toBeUndefined();
      },
    );

    it.each(endpoints)(
      '$route answers 403 insufficient_scope with scope="$scope" for a token lacking only $scope',
      async ({ call, scope }) => {
        const token = tokens.partnerAWithout[scope]!;
        expect(decodeJws(token).payload['scope']).not.toContain(scope);
        const response = await call().set('Authorization', bearer(token));
        expectRefusal(response, insufficientScope(scope));
      },
    );

    it.each(endpoints)(
      '$route answers 403 insufficient_scope for a token with no scope claim',
      async ({ call, scope }) => {
        const response = await call().set('Authorization', bearer(tokens.partnerANoScope));
        expectRefusal(response, insufficientScope(scope));
      },
    );

    it('grants only the scopes in the token: read-only may list but not read, create or delete', async () => {
      const readOnly = withToken(tokens.readOnly);
      expect((await readOnly.get('/users')).status).toBe(200);
      expectRefusal(await readOnly.get('/users/any'), insufficientScope('read:users'));
      expectRefusal(
        await readOnly.post('/users').send({ name: 'x', email: 'x@x.example' }),
        insufficientScope('create:users'),
      );
      expectRefusal(await readOnly.delete('/users/any'), insufficientScope('delete:users'));
    });
  });

  describe('tenant isolation between partner-a and partner-b', () => {
    it("never lists or reads another partner's users", async () => {
      const aUser = await createUser(tokens.partnerA, 'Frances Allen', 'frances@acme.example');
      const bUser = await seedUser('partner-b', 'John Backus', 'john@globex.example');

      const listB = await withToken(tokens.partnerB).get('/users');
      expect((listB.body as User[]).map((user) => user.id)).not.toContain(aUser.id);
      const listA = await withToken(tokens.partnerA).get('/users');
      expect((listA.body as User[]).map((user) => user.id)).not.toContain(bUser.id);

      const readB = await withToken(tokens.partnerB).get(`/users/${aUser.id}`);
      expect(readB.status).toBe(404);
      const readA = await withToken(tokens.partnerA).get(`/users/${bUser.id}`);
      expect(readA.status).toBe(404);
    });

    it("answers 404 when partner-a deletes partner-b's user, and the user still exists for partner-b", async () => {
      const bUser = await seedUser('partner-b', 'Kristen Nygaard', 'kristen@globex.example');

      const removed = await withToken(tokens.partnerA).delete(`/users/${bUser.id}`);
      expect(removed.status).toBe(404);
      expect(removed.body).toEqual(USER_NOT_FOUND);

      const stillThere = await withToken(tokens.partnerB).get(`/users/${bUser.id}`);
      expect(stillThere.status).toBe(200);
      expect(stillThere.body).toEqual(bUser);
    });

    it("lists none of the other partners' users to partner-c (the Auth0-style client)", async () => {
      const list = await withToken(tokens.auth0Style).get('/users');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([]);
    });
  });

  describe('scp and permissions claims', () => {
    it('finds no scope claim in these tokens: scp / permissions alone carry the grants', () => {
      const scp = decodeJws(tokens.scp).payload;
      const permissions = decodeJws(tokens.permissions).payload;
      expect(scp).not.toHaveProperty('scope');
      expect(scp['scp']).toEqual(['list:users', 'read:users']);
      expect(permissions).not.toHaveProperty('scope');
      expect(permissions['permissions']).toEqual(['list:users']);
    });

    it.each([
      ['scp', () => tokens.scp],
      ['permissions', () => tokens.permissions],
    ])('grants list:users from the %s claim (200 on GET /users)', async (_claim, token) => {
      const response = await withToken(token()).get('/users');
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it('grants read:users from scp but refuses create:users, which scp lacks', async () => {
      const scp = withToken(tokens.scp);
      expect((await scp.get('/users/missing')).status).toBe(404);
      expectRefusal(
        await scp.post('/users').send({ name: 'x', email: 'x@x.example' }),
        insufficientScope('create:users'),
      );
    });

    it('refuses read:users, which permissions lacks, with 403 insufficient_scope', async () => {
      const response = await withToken(tokens.permissions).get('/users/missing');
      expectRefusal(response, insufficientScope('read:users'));
    });
  });

  describe('order: authentication (401), then partner (403), then scope (403)', () => {
    it('answers 401 invalid_token, not 403, for a bad token on a route whose scope it lacks', async () => {
      // read-only lacks create:users; the signature is broken: authentication must fail first.
      const response = await withToken(flipMiddleOfSignature(tokens.readOnly))
        .post('/users')
        .send({ name: 'x', email: 'x@x.example' });
      expectRefusal(response, REFUSALS.badSignature);
    });

    it('answers 401 without an error attribute, not 403, for no token on a scoped route', async () => {
      expectRefusal(await request(url).delete('/users/any'), REFUSALS.missingToken);
    });

    it('answers 403 unknown partner (the partner check) to a stranger lacking the route scope', async () => {
      // stranger has list:users and read:users but not create:users: the partner check comes first.
      const response = await withToken(tokens.stranger)
        .post('/users')
        .send({ name: 'x', email: 'x@x.example' });
      expectRefusal(response, REFUSALS.unknownPartner);
    });

    it('answers 403 unknown partner to a stranger that holds the route scope', async () => {
      const response = await withToken(tokens.stranger).get('/users');
      expectRefusal(response, REFUSALS.unknownPartner);
    });
  });
});
