import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bootstrap, type RunningApp } from '../../src/bootstrap';
import type { User } from '../../src/users/user.interface';
import { TEST_DATABASES, within } from './support/databases';
import { partnersCli } from './support/partners-cli';

jest.setTimeout(180_000);

interface Created {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  issuer: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
}

/** A client-credentials token from the token URL the CLI printed. */
async function tokenFrom(created: Created, scope: string): Promise<string> {
  const response = await fetch(created.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe.each(TEST_DATABASES)('the partners CLI against the running demo on %s', (_l, database) => {
  let env: Record<string, string>;
  let running: RunningApp | undefined;
  let created: Created;
  let token: string;

  const start = async (): Promise<void> => {
    running = await bootstrap({ PORT: '0', ...env }, { print: () => undefined, logger: false });
  };
  const users = () => request(running!.url).get('/users').auth(token, { type: 'bearer' });
  const cli = (...args: string[]) => partnersCli(args, env);

  beforeAll(async () => {
    const settings = await database.settings();
    const dataDir = 'dataDir' in settings ? settings.dataDir : mkdtempSync(join(tmpdir(), 'cli-'));
    env = { DATA_DIR: dataDir, ...('url' in settings ? { DATABASE_URL: settings.url } : {}) };
    await start();
  });

  afterAll(async () => {
    await running?.close();
  });

  it('creates a partner at the demo issuer (RFC 7591) whose token gets 200 on /users', async () => {
    const run = await cli(
      'create',
      '--name',
      'Globex',
      '--scopes',
      'list:users create:users',
      '--json',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    created = run.json as Created;
    expect(created).toEqual({
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      tokenUrl: running!.demo!.issuer.tokenEndpoint,
      issuer: running!.demo!.issuer.issuer,
      scopes: ['list:users', 'create:users'],
      rateLimitPerMinute: null,
    });
    token = await tokenFrom(created, 'list:users create:users');
    await users().expect(200, []);
    await request(running!.url)
      .post('/users')
      .auth(token, { type: 'bearer' })
      .send({ name: 'Ada Lovelace', email: 'ada@globex.example' })
      .expect(201);

    const shown = await cli('show', created.clientId, '--json');
    expect(shown.json).toEqual({
      clientId: created.clientId,
      name: 'Globex',
      status: 'active',
      scopes: ['list:users', 'create:users'],
      rateLimitPerMinute: null,
      registeredHere: true,
    });
    // The secret is shown once and kept nowhere here.
    expect(shown.stdout).not.toContain(created.clientSecret);
    const listed = await cli('list', '--json');
    expect(listed.json).toEqual(
      expect.arrayContaining([expect.objectContaining({ clientId: created.clientId })]),
    );
  });

  it('suspends the partner (403 within 5 s) and resumes it', async () => {
    expect((await cli('suspend', created.clientId)).code).toBe(0);
    await within(5_000, async () => {
      const response = await users();
      return response.status === 403 && response.body.message === 'The client is suspended';
    });
    expect((await cli('resume', created.clientId)).code).toBe(0);
    await within(5_000, async () => (await users()).status === 200);
  });

  it('revokes a scope (403 insufficient_scope within 5 s) and grants it back', async () => {
    const revoked = await cli('revoke', created.clientId, 'list:users', '--json');
    expect(revoked.json).toMatchObject({ scopes: ['create:users'] });
    await within(5_000, async () => {
      const response = await users();
      return (
        response.status === 403 &&
        String(response.headers['www-authenticate']).includes('error="insufficient_scope"')
      );
    });
    expect((await cli('grant', created.clientId, 'list:users')).code).toBe(0);
    await within(5_000, async () => (await users()).status === 200);
  });

  it('gives the partner its own rate limit (RateLimit-Policy within 5 s) and back the default', async () => {
    const set = await cli('limit', created.clientId, '5000', '--json');
    expect(set).toMatchObject({ code: 0, json: { rateLimitPerMinute: 5000 } });
    await within(5_000, async () =>
      String((await users()).headers['ratelimit-policy']).includes('q=5000;'),
    );
    const reset = await cli('limit', created.clientId, 'default', '--json');
    expect(reset).toMatchObject({ code: 0, json: { rateLimitPerMinute: null } });
    await within(5_000, async () =>
      String((await users()).headers['ratelimit-policy']).includes('q=600;'),
    );
  });

  it('creates a partner of an existing client with its own rate limit', async () => {
    const run = await cli(
      'create',
      '--name',
      'Initech',
      '--scopes',
      'list:users',
      '--client-id',
      'initech',
      '--rate-limit',
      '30',
      '--json',
    );
    expect(run).toMatchObject({ code: 0, json: { clientId: 'initech', rateLimitPerMinute: 30 } });
    expect((await cli('show', 'initech', '--json')).json).toMatchObject({ rateLimitPerMinute: 30 });
  });

  it.each([
    [['limit', 'partner-a', '0'], 'must be a whole number'],
    [['limit', 'partner-a', '1.5'], 'must be a whole number'],
    [
      [
        'create',
        '--name',
        'X',
        '--scopes',
        'list:users',
        '--client-id',
        'x',
        '--rate-limit',
        'lots',
      ],
      'must be a whole number',
    ],
  ])('refuses a bad rate limit %j with exit 2', async (args, reason) => {
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(reason);
  });

  it.each([
    [['show', 'nobody'], 'partners: unknown partner "nobody"'],
    [['suspend', 'nobody'], 'partners: unknown partner "nobody"'],
    [['limit', 'nobody', '10'], 'partners: unknown partner "nobody"'],
    [['grant', 'partner-a', 'admin:all'], 'partners: unknown scope "admin:all"'],
  ])('refuses %j with exit 1 and a one-line reason', async (args, reason) => {
    const run = await cli(...args);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')[0]).toContain(reason);
  });

  it('refuses an unknown command with the usage (exit 2)', async () => {
    const run = await cli('promote', 'partner-a');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('partners: unknown command "promote"');
  });

  it('keeps the users and the partner secret across a restart', async () => {
    await running!.close();
    running = undefined;
    await start();
    token = await tokenFrom(created, 'list:users');
    const after = (await users().expect(200)).body as User[];
    expect(after.map((user) => user.email)).toEqual(['ada@globex.example']);
  });

  it('deletes the partner here and at the issuer (RFC 7592)', async () => {
    expect((await cli('delete', created.clientId, '--json')).json).toEqual({
      clientId: created.clientId,
      deleted: true,
    });
    const refused = await fetch(created.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(refused.status).toBe(401);
    await within(5_000, async () => (await users()).status === 403);
  });
});
