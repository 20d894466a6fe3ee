import { TestHttpServer, reply } from '../test-helpers/test-http-server';
import { fetchJson, KeySetFetchError, type FetchFailure } from './fetch-json';

const LIMITS = { timeoutMs: 2_000, maxResponseBytes: 1_024 };

let server: TestHttpServer;

beforeAll(async () => {
  server = await TestHttpServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

async function failureOf(
  url: string,
  limits = LIMITS,
): Promise<{ failure: FetchFailure; status: number | undefined; message: string }> {
  const error: unknown = await fetchJson(url, limits).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KeySetFetchError);
  const { failure, status, message } = error as KeySetFetchError;
  return { failure, status, message };
}

describe('fetchJson', () => {
  it('returns the parsed JSON document and asks for JSON', async () => {
    let accept: string | undefined;
    server.route('/doc', (request, response) => {
      accept = request.headers.accept;
      reply.json({ keys: [{ kid: 'a' }] })(request, response);
    });
    await expect(fetchJson(`${server.origin}/doc`, LIMITS)).resolves.toEqual({
      keys: [{ kid: 'a' }],
    });
    expect(accept).toBe('application/json');
  });

  it('accepts a body of exactly maxResponseBytes', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(1_024 - 10) });
    expect(Buffer.byteLength(body)).toBe(1_024);
    server.route('/exact', reply.chunked(body));
    await expect(fetchJson(`${server.origin}/exact`, LIMITS)).resolves.toEqual(JSON.parse(body));
  });

  it('follows a redirect', async () => {
    server.route('/old', (_request, response) => {
      response.writeHead(302, { location: '/new' }).end();
    });
    server.route('/new', reply.json({ ok: true }));
    await expect(fetchJson(`${server.origin}/old`, LIMITS)).resolves.toEqual({ ok: true });
  });

  it('fails with status and the HTTP code on a non-2xx answer', async () => {
    server.route('/down', reply.json({ error: 'boom' }, 500));
    const url = `${server.origin}/down`;
    await expect(failureOf(url)).resolves.toEqual({
      failure: 'status',
      status: 500,
      message: `Fetching ${url} failed: status (HTTP 500)`,
    });
  });

  it('fails with too_large when Content-Length exceeds the limit', async () => {
    server.route('/big', reply.json({ pad: 'x'.repeat(2_000) }));
    expect((await failureOf(`${server.origin}/big`)).failure).toBe('too_large');
  });

  it('fails with too_large when a chunked body grows past the limit', async () => {
    server.route('/big', reply.chunked(JSON.stringify({ pad: 'x'.repeat(5_000) })));
    expect((await failureOf(`${server.origin}/big`)).failure).toBe('too_large');
  });

  it('fails with not_json on a body that is not JSON', async () => {
    server.route('/garbage', reply.text('<html>Gateway</html>', 200, 'text/html'));
    expect((await failureOf(`${server.origin}/garbage`)).failure).toBe('not_json');
  });

  it('fails with network when the connection drops', async () => {
    server.route('/drop', reply.drop());
    expect((await failureOf(`${server.origin}/drop`)).failure).toBe('network');
  });

  it('fails with network when nothing listens on the port', async () => {
    const closed = await TestHttpServer.start();
    await closed.close();
    expect((await failureOf(`${closed.origin}/jwks`)).failure).toBe('network');
  });

  it('fails with timeout when the server never answers, within the total timeout', async () => {
    server.route('/hang', reply.hang());
    const started = performance.now();
    const result = await failureOf(`${server.origin}/hang`, { ...LIMITS, timeoutMs: 200 });
    const elapsed = performance.now() - started;
    expect(result.failure).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('fails with timeout when the body stalls after the headers (a total, not idle, timeout)', async () => {
    server.route('/stall', reply.stallBody());
    const started = performance.now();
    const result = await failureOf(`${server.origin}/stall`, { ...LIMITS, timeoutMs: 200 });
    expect(result.failure).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
