import { Logger as JsonLogger } from 'nestjs-pino';
import request from 'supertest';
import { HTTP_ADAPTERS } from '../../src/http-adapter';
import { pollUntil } from '../support/network';
import { usePartnerSuite } from '../support/partner-suite';
import { appConfigFor, closeAll, startTestApp, type TestApp } from '../support/test-app';
import { TEST_CLIENTS } from '../support/authorization-server';

const { partnerA } = TEST_CLIENTS;
const suite = usePartnerSuite(['partnerA']);
/**
 * Every JSON line the app under test wrote. One destination for both apps: nestjs-pino builds its
 * pino-http logger once per process, with the first app's options and destination.
 */
const lines: string[] = [];
const destination = { write: (line: string) => void lines.push(line) };

interface RequestLine {
  readonly req: { readonly headers?: unknown };
  readonly [field: string]: unknown;
}

describe.each(HTTP_ADAPTERS)('structured JSON request logs over %s', (adapter) => {
  let api: TestApp | undefined;

  beforeAll(async () => {
    lines.length = 0;
    api = await startTestApp(appConfigFor(suite.issuer()), adapter, {
      // Both quota policies on, as by default: their middleware is mounted beside the logger's.
      quota: { partnerRateLimit: 1, authFailureLimit: 100 },
      logging: { level: 'info', destination },
    });
    // As bootstrap does: Nest's Logger writes the same JSON lines.
    api.app.useLogger(api.app.get(JsonLogger));
  });

  afterAll(async () => {
    await closeAll(api);
  });

  function url(): string {
    if (!api) throw new Error('the app is not running');
    return api.url;
  }

  function logged(): Record<string, unknown>[] {
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
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
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    return find();
  }

  it('log a request with its id, the partner, the route, the status and the duration', async () => {
    const response = await request(url())
      .get('/users')
      .set('Authorization', `Bearer ${suite.tokens.partnerA}`)
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

  it('log the route pattern, not the path, and no partner before authentication', async () => {
    const response = await request(url())
      .get('/users/42')
      .set('Authorization', 'Bearer not-a-token')
      .set('X-Request-Id', 'req-401');
    expect(response.status).toBe(401);
    const entry = await requestLine('req-401');
    expect(entry).toMatchObject({ route: '/users/:id', res: { statusCode: 401 } });
    expect(entry).not.toHaveProperty('clientId');
  });

  it('log no route for a path no route matches', async () => {
    const response = await request(url()).get('/no-such-path').set('X-Request-Id', 'req-404');
    expect(response.status).toBe(404);
    const entry = await requestLine('req-404');
    expect(entry).toMatchObject({ res: { statusCode: 404 } });
    expect(entry).not.toHaveProperty('route');
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
      .query({ access_token: suite.tokens.partnerA })
      .set('X-Request-Id', 'req-query');
    expect(response.status).toBe(200);
    expect(await requestLine('req-query')).toMatchObject({ req: { url: '/health' } });
  });

  it('write a structured rate_limited refusal naming the partner', async () => {
    const response = await request(url())
      .get('/users')
      .set('Authorization', `Bearer ${suite.tokens.partnerA}`)
      .set('X-Request-Id', 'req-429');
    expect(response.status).toBe(429);
    expect(await requestLine('req-429')).toMatchObject({
      clientId: partnerA.clientId,
      route: '/users',
      res: { statusCode: 429 },
    });
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
    expect(output).not.toContain(suite.tokens.partnerA);
    expect(output).not.toContain(suite.tokens.partnerA.split('.')[2]);
    expect(output).not.toContain('proof.signature');
  });
});
