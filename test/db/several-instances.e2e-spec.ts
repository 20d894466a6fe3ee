import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import {
  startTestAuthorizationServer,
  TEST_AUDIENCE,
  TEST_CLIENTS,
} from '../support/authorization-server';
import { pollUntil } from '../support/network';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startAppProcess, type AppProcess } from './support/app-process';
import { within } from './support/databases';
import { partnersCli } from './support/partners-cli';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

/**
 * Two app processes (`node dist/main.js`) behind an imaginary load balancer: one PostgreSQL
 * (TEST_DATABASE_URL, in a schema of their own; instance B reaches it through a TCP proxy the test
 * cuts), one redis-server started here, the real authorization server. Without TEST_DATABASE_URL
 * each instance has its own PGlite and only what does not need a shared database runs (said once).
 */
jest.setTimeout(120_000);

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL']?.trim();
const SCHEMA = 'several_instances';
/** The default quota (no partner here uses it), and partner-b's own (PARTNERS_FILE). */
const DEFAULT_LIMIT = 10;
const PARTNER_B_LIMIT = 4;
/** The documented bound for a partner change: about a second (the feed), 5 s worst (cache TTL). */
const CHANGE_BOUND_MS = 5_000;

const { partnerA, partnerB, readOnly } = TEST_CLIENTS;

let issuer: DevIssuer | undefined;
let redis: RedisServer | undefined;
let proxy: TcpProxy | undefined;
let a: AppProcess | undefined;
let b: AppProcess | undefined;
let databaseUrl: string | undefined;
const tokens = {} as Record<'partnerA' | 'partnerB' | 'readOnly', string>;
/** Every status the instances answered while something was down. */
const outageStatuses: number[] = [];

/** TEST_DATABASE_URL with a fresh schema of this suite's as its search_path. */
async function freshSchema(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
  } finally {
    await client.end();
  }
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${SCHEMA}`);
  return withSchema.toString();
}

function partnersFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'instances-')), 'partners.json');
  writeFileSync(
    file,
    JSON.stringify([
      { clientId: partnerA.clientId, name: 'Acme', rateLimitPerMinute: 1000 },
      { clientId: partnerB.clientId, name: 'Globex', rateLimitPerMinute: PARTNER_B_LIMIT },
      // Polled every 200 ms while a change propagates: out of reach of its quota.
      { clientId: readOnly.clientId, name: 'Read-only', rateLimitPerMinute: 1000 },
    ]),
  );
  return file;
}

function instances(): [AppProcess, AppProcess] {
  if (!a || !b) throw new Error('the instances are not running');
  return [a, b];
}

async function call(
  app: AppProcess,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const ready = (app: AppProcess) => call(app, '/health/ready');

/** Traffic while a dependency is down: every answer recorded for the no-5xx-but-503 check. */
async function trafficDuringOutage(): Promise<void> {
  for (const app of instances()) {
    for (const response of [
      await call(app, '/users', tokens.partnerA),
      await call(app, '/users', tokens.partnerA, {
        name: 'Outage',
        email: `o${Date.now()}@x.test`,
      }),
      await call(app, '/health/ready'),
      await call(app, '/health'),
    ]) {
      outageStatuses.push(response.status);
    }
  }
}

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  redis = await startRedisServer();
  for (const [name, client] of Object.entries({ partnerA, partnerB, readOnly })) {
    tokens[name as keyof typeof tokens] = await issuer.getToken(
      client.clientId,
      client.clientSecret,
      client.scopes,
    );
  }
  const common = {
    OAUTH_ISSUER: issuer.issuer,
    OAUTH_AUDIENCE: TEST_AUDIENCE,
    OAUTH_JWKS_URI: issuer.jwksUri,
    PARTNERS_FILE: partnersFile(),
    REDIS_URL: redis.url,
    PARTNER_RATE_LIMIT: String(DEFAULT_LIMIT),
    LOG_LEVEL: 'warn',
  };
  if (TEST_DATABASE_URL) {
    databaseUrl = await freshSchema(TEST_DATABASE_URL);
    const server = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const throughProxy = new URL(databaseUrl);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    a = await startAppProcess({ ...common, DATABASE_URL: databaseUrl });
    b = await startAppProcess({ ...common, DATABASE_URL: throughProxy.toString() });
  } else {
    console.log(
      'several instances: TEST_DATABASE_URL is not set: each instance runs on its own PGlite, ' +
        'so shared users, suspension and database outage are not tested here (.ci/run sets it)',
    );
    const dataDir = () => mkdtempSync(join(tmpdir(), 'instances-data-'));
    a = await startAppProcess({ ...common, DATA_DIR: dataDir() });
    b = await startAppProcess({ ...common, DATA_DIR: dataDir() });
  }
});

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await proxy?.close();
  await redis?.stop();
  await issuer?.stop();
});

describe('two app processes on one database and one Redis', () => {
  it('are both ready, reporting the key set, the database and Redis apart', async () => {
    for (const app of instances()) {
      const response = await ready(app);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        info: {
          'oauth-jwt': { status: 'up' },
          database: { status: 'up', kind: TEST_DATABASE_URL ? 'postgres' : 'embedded' },
          redis: { status: 'up' },
        },
      });
    }
  });

  it('share a partner’s quota (its own limit from PARTNERS_FILE): 429 on both once spent', async () => {
    const [one, two] = instances();
    const statuses: number[] = [];
    for (let index = 0; index < PARTNER_B_LIMIT; index += 1) {
      const response = await call(index % 2 === 0 ? one : two, '/users', tokens.partnerB);
      expect(response.headers.get('ratelimit-policy')).toBe(`"partner";q=${PARTNER_B_LIMIT};w=60`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(PARTNER_B_LIMIT).fill(200));
    // The sum over both instances stays within the limit: no slack inside one window.
    expect((await call(one, '/users', tokens.partnerB)).status).toBe(429);
    expect((await call(two, '/users', tokens.partnerB)).status).toBe(429);
  });

  if (TEST_DATABASE_URL) {
    it('serve through B a user created through A', async () => {
      const [one, two] = instances();
      const created = await call(one, '/users', tokens.partnerA, {
        name: 'Grace Hopper',
        email: 'grace@acme.example',
      });
      expect(created.status).toBe(201);
      const { id } = created.body as { id: string };
      const read = await call(two, `/users/${id}`, tokens.partnerA);
      expect(read).toMatchObject({ status: 200, body: { id, email: 'grace@acme.example' } });
    });

    it('refuse a partner suspended with the CLI on both instances within the bound, and resume it', async () => {
      const cli = (...args: string[]) => partnersCli(args, { DATABASE_URL: databaseUrl! });
      for (const app of instances()) {
        expect((await call(app, '/users', tokens.readOnly)).status).toBe(200);
      }
      expect((await cli('suspend', readOnly.clientId)).code).toBe(0);
      const took = await Promise.all(
        instances().map((app) =>
          within(CHANGE_BOUND_MS, async () => {
            const response = await call(app, '/users', tokens.readOnly);
            return response.status === 403;
          }),
        ),
      );
      console.log(`several instances: suspension seen after ${took.join(' and ')} ms`);
      expect((await cli('resume', readOnly.clientId)).code).toBe(0);
      for (const app of instances()) {
        await within(CHANGE_BOUND_MS, async () => {
          return (await call(app, '/users', tokens.readOnly)).status === 200;
        });
      }
    });
  }

  describe('when Redis stops', () => {
    beforeAll(async () => {
      await redis?.stop();
    });

    it('turn not ready (503, redis down, the rest up) and keep serving', async () => {
      for (const app of instances()) {
        const response = await ready(app);
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({
          error: { redis: { status: 'down' } },
          info: { 'oauth-jwt': { status: 'up' }, database: { status: 'up' } },
        });
        expect((await call(app, '/users', tokens.partnerA)).status).toBe(200);
      }
      await trafficDuringOutage();
    });

    it('are ready again once Redis returns', async () => {
      await redis?.start();
      for (const app of instances()) {
        const response = await pollUntil(
          () => ready(app),
          (result) => result.status === 200,
          { timeoutMs: 10_000, intervalMs: 200 },
        );
        expect(response.status).toBe(200);
      }
    });
  });

  if (TEST_DATABASE_URL) {
    describe('when B’s database becomes unreachable', () => {
      beforeAll(async () => {
        await proxy?.cut();
      });

      it('B turns not ready (503, database down, the rest up) while A stays ready', async () => {
        const [one, two] = instances();
        const response = await pollUntil(
          () => ready(two),
          (result) => result.status === 503,
          { timeoutMs: 10_000, intervalMs: 200 },
        );
        expect(response).toMatchObject({
          status: 503,
          body: {
            error: { database: { status: 'down' } },
            info: { 'oauth-jwt': { status: 'up' }, redis: { status: 'up' } },
          },
        });
        expect((await ready(one)).status).toBe(200);
        await trafficDuringOutage();
      });

      it('B is ready again and serves once the database is reachable', async () => {
        await proxy?.restore();
        const [, two] = instances();
        const response = await pollUntil(
          () => ready(two),
          (result) => result.status === 200,
          { timeoutMs: 15_000, intervalMs: 200 },
        );
        expect(response.status).toBe(200);
        expect((await call(two, '/users', tokens.partnerA)).status).toBe(200);
      });
    });
  }

  it('answered no 5xx other than 503 while a dependency was down', () => {
    expect(outageStatuses.length).toBeGreaterThan(0);
    console.log(`several instances: answers during the outages: ${outageStatuses.join(' ')}`);
    expect(outageStatuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
  });
});
