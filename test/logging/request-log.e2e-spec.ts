import { Logger as JsonLogger } from 'nestjs-pino';
import request from 'supertest';
import type { DevIssuer } from '../../src/dev-issuer/dev-issuer';
import { startTestAuthorizationServer, TEST_CLIENTS } from '../support/authorization-server';
import { pollUntil } from '../support/network';
import {
  appConfigFor,
  closeAll,
  E2E_TIMEOUT_MS,
  startTestApp,
  type TestApp,
} from '../support/test-app';

jest.setTimeout(E2E_TIMEOUT_MS);

const { partnerA } = TEST_CLIENTS;

let issuer: DevIssuer | undefined;
let api: TestApp | undefined;
let token: string;
/** Every JSON line the app wrote. */
const lines: string[] = [];

beforeAll(async () => {
  issuer = await startTestAuthorizationServer();
  token = await issuer.getToken(partnerA.clientId, partnerA.clientSecret, ['list:users']);
  api = await startTestApp(appConfigFor(issuer), 'express', {
    quota: { partnerRateLimit: 1, authFailureLimit: 0 },
    logging: { level: 'info', destination: { write: (line: string) => void lines.push(line) } },
  });
  // As bootstrap does: Nest's Logger writes the same JSON lines.
  api.app.useLogger(api.app.get(JsonLogger));
});

afterAll(async () => {
  await closeAll(api);
  await issuer?.stop();
});

function url(): string {
  if (!api) throw new Error('the app is not running');
  return api.url;
}

function logged(): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface RequestLine {
  readonly req: { readonly headers?: unknown };
  readonly [field: string]: unknown;
}

/** The request's completion line (it may be written just after the client got the answer). */
async function requestLine(id: string): Promise<RequestLine | undefined> {
  const find = () =>
    logged().find(
      (entry): entry is RequestLine =>
        (entry['req'] as { id?: unknown } | undefined)?.id === id && 'res' in entry,
    );
  await pollUntil(
    () => Promise.resolve(find()),
    (entry) => entry !== undefined,
    {
      timeoutMs: 2_000,
      intervalMs: 10,
    },
  );
  return find();
}

describe('structured JSON request logs', () => {
  it('log a request with its id, the partner, the route, the status and the duration', async () => {
    const response = await request(url())
      .get('/users')
      .set('Authorization', `Bearer ${token}`)
      .set('DPoP', 'eyJhbGciOiJFUzI1NiJ9.proof.signature')
      .set('X-Request-Id', 'req-42');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('req-42');
    const entry = await requestLine('req-42');
    expect(entry).toMatchObject({
      level: 30,
      clientId: partnerA.clientId,
      route: '/users',
      req: { id: 'req-42', method: 'GET', url: '/users' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    // Each field once in the raw line (JSON.parse would hide a duplicate key).
    const raw = lines.find((line) => line.includes('"id":"req-42"') && line.includes('"res":'));
    expect(raw?.match(/"route":/g)).toHaveLength(1);
    expect(raw?.match(/"clientId":/g)).toHaveLength(1);
  });

  it('redact the Authorization and DPoP headers', async () => {
    expect((await requestLine('req-42'))?.req.headers).toMatchObject({
      authorization: '[Redacted]',
      dpop: '[Redacted]',
    });
  });

  it('give each request an id of its own when none (or an unusable one) is sent', async () => {
    const response = await request(url()).get('/health').set('X-Request-Id', 'bad id {');
    const id = String(response.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await requestLine(id)).toMatchObject({ res: { statusCode: 200 } });
  });

  it('log the URL without its query string, where a token could be', async () => {
    const response = await request(url())
      .get('/health')
      .query({ access_token: token })
      .set('X-Request-Id', 'req-query');
    expect(response.status).toBe(200);
    expect(await requestLine('req-query')).toMatchObject({ req: { url: '/health' } });
  });

  it('write a structured rate_limited refusal naming the partner', async () => {
    const response = await request(url())
      .get('/users')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'req-429');
    expect(response.status).toBe(429);
    expect(await requestLine('req-429')).toMatchObject({ res: { statusCode: 429 } });
    expect(logged()).toContainEqual(
      expect.objectContaining({
        level: 40,
        event: 'refused',
        reason: 'rate_limited',
        status: 429,
        policy: 'partner',
        clientId: partnerA.clientId,
        route: 'GET /users',
        retryAfterSeconds: expect.any(Number),
      }),
    );
  });

  it('never write a token, nor any piece of its signature', () => {
    const output = lines.join('');
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[2]);
    expect(output).not.toContain('proof.signature');
  });
});
