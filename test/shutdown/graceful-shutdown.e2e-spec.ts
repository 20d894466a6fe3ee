import { request as httpRequest, type IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { REDIS_CLIENT } from '../../src/redis/redis.constants';
import { startTestAuthorizationServer, TEST_CLIENTS } from '../support/authorization-server';
import { pollUntil } from '../support/network';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { appConfigFor, E2E_TIMEOUT_MS, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA } = TEST_CLIENTS;

let issuer: DevIssuer | undefined;
let redis: RedisServer | undefined;
let api: TestApp | undefined;

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  redis = await startRedisServer();
});

afterAll(async () => {
  await api?.close().catch(() => undefined);
  await redis?.stop();
  await issuer?.stop();
});

/** Sends the headers and half the body of POST /users now; `finish()` sends the rest. */
function slowCreate(url: string, token: string) {
  const body = JSON.stringify({ name: 'Ada Lovelace', email: 'ada@acme.example' });
  const request = httpRequest(`${url}/users`, {
    method: 'POST',
    agent: false,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'keep-alive',
    },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => {
        resolve({ status: response.statusCode ?? 0, body: text });
      });
    });
  });
  request.write(body.slice(0, 10));
  return { answered, finish: () => request.end(body.slice(10)) };
}

/** Resolves with the error code of a new connection attempt, or 'connected'. */
function connectOutcome(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = httpRequest(`${url}/health`, { agent: false }, (response) => {
      response.resume();
      resolve('connected');
    });
    request.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? 'error');
    });
    request.end();
  });
}

describe('graceful shutdown (what SIGTERM runs: app.close through enableShutdownHooks)', () => {
  it('stops accepting, finishes the request in flight, then closes the Redis connections', async () => {
    if (!issuer || !redis) throw new Error('the servers are not running');
    const token = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, ['create:users']);
    api = await startTestApp(appConfigFor(issuer), 'express', {
      quota: { partnerRateLimit: 100, authFailureLimit: 10 },
      redisUrl: redis.url,
    });
    const client = api.app.get<Redis>(REDIS_CLIENT);
    const { url } = api;
    const inFlight = slowCreate(url, token);
    await delay(100); // the request is in the server, waiting for the rest of its body

    let closed = false;
    const closing = api.close().then(() => (closed = true));
    api = undefined; // closed here, not again in afterAll
    await delay(100);
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    expect(closed).toBe(false);
    expect(client.status).toBe('ready');

    inFlight.finish();
    const answer = await inFlight.answered;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'Ada Lovelace' });
    await closing;
    // QUIT was answered; the socket closes right after.
    const status = await pollUntil(
      () => Promise.resolve(client.status),
      (value) => value === 'end',
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    expect(status).toBe('end');
  });
});
