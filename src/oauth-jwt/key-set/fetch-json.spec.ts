import { TestHttpServer, reply } from '../testing/internal/test-http-server';
import { useTestHttpServer } from '../testing/internal/test-http-server.spec-helper';
import { fetchJson, KeySetFetchError, sameOriginRedirect, type FetchFailure } from './fetch-json';

const LIMITS = { timeoutMs: 2_000, maxResponseBytes: 1_024 };

let server: TestHttpServer;
useTestHttpServer((started) => (server = started));

async function failureOf(
  url: string,
  limits = LIMITS,
): Promise<{
  failure: FetchFailure;
  status: number | undefined;
  networkCode: string | undefined;
  message: string;
  url: string;
}> {
  const error: unknown = await fetchJson(url, limits).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KeySetFetchError);
  const { failure, status, networkCode, message, url: where } = error as KeySetFetchError;
  return { failure, status, networkCode, message, url: where };
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

  describe('redirects', () => {
    it.each([301, 302, 303, 307, 308])('follows a %s to the same origin', async (status) => {
      server.route('/old', reply.redirect('/new', status));
      server.route('/new', reply.json({ ok: true }));
      await expect(fetchJson(`${server.origin}/old`, LIMITS)).resolves.toEqual({ ok: true });
    });

    it('follows an absolute Location on the same origin', async () => {
      server.route('/old', reply.redirect(`${server.origin}/new`));
      server.route('/new', reply.json({ ok: true }));
      await expect(fetchJson(`${server.origin}/old`, LIMITS)).resolves.toEqual({ ok: true });
    });

    it('follows three same-origin redirects in a row', async () => {
      server.route('/r1', reply.redirect('/r2')).route('/r2', reply.redirect('/r3'));
      server.route('/r3', reply.redirect('/doc')).route('/doc', reply.json({ ok: true }));
      await expect(fetchJson(`${server.origin}/r1`, LIMITS)).resolves.toEqual({ ok: true });
    });

    it('fails with redirect on a fourth redirect, without fetching its target', async () => {
      server.route('/r1', reply.redirect('/r2')).route('/r2', reply.redirect('/r3'));
      server.route('/r3', reply.redirect('/r4')).route('/r4', reply.redirect('/doc'));
      server.route('/doc', reply.json({ ok: true }));
      expect((await failureOf(`${server.origin}/r1`)).failure).toBe('redirect');
      expect(server.hits('/r4')).toBe(1);
      expect(server.hits('/doc')).toBe(0);
    });

    it('fails with redirect on a redirect loop, after a bounded number of requests', async () => {
      server.route('/loop', reply.redirect('/loop'));
      expect((await failureOf(`${server.origin}/loop`)).failure).toBe('redirect');
      expect(server.hits('/loop')).toBe(4);
    });

    it('fails with redirect on a redirect to another origin, which receives no request', async () => {
      const other = await TestHttpServer.start();
      try {
        other.route('/jwks', reply.json({ keys: [] }));
        server.route('/jwks', reply.redirect(`${other.origin}/jwks`));
        expect((await failureOf(`${server.origin}/jwks`)).failure).toBe('redirect');
        expect(other.hits('/jwks')).toBe(0);
      } finally {
        await other.close();
      }
    });

    it('fails with redirect on a redirect without Location', async () => {
      server.route('/nowhere', reply.status(302));
      expect((await failureOf(`${server.origin}/nowhere`)).failure).toBe('redirect');
    });
  });

  it('fails with status and the HTTP code on a non-2xx answer', async () => {
    server.route('/down', reply.json({ error: 'boom' }, 500));
    const url = `${server.origin}/down`;
    await expect(failureOf(url)).resolves.toEqual({
      failure: 'status',
      status: 500,
      networkCode: undefined,
      message: `Fetching ${url} failed: status (HTTP 500)`,
      url,
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

  it('fails with network and ECONNREFUSED when nothing listens on the port', async () => {
    const closed = await TestHttpServer.start();
    await closed.close();
    await expect(failureOf(`${closed.origin}/jwks`)).resolves.toMatchObject({
      failure: 'network',
      networkCode: 'ECONNREFUSED',
    });
  });

  it('names the URL by origin and path only: a query or user-info may carry credentials', async () => {
    server.route('/down', reply.status(500));
    const result = await failureOf(`${server.origin}/down?client_secret=s3cr3t`);
    expect(result.url).toBe(`${server.origin}/down`);
    expect(result.message).toBe(`Fetching ${server.origin}/down failed: status (HTTP 500)`);

    // fetch refuses a URL with user-info outright; the password stays out of the error.
    const withUserInfo = await failureOf(server.origin.replace('//', '//user:pa55word@'));
    expect(withUserInfo.url).toBe(`${server.origin}/`);
    expect(withUserInfo.message).not.toContain('pa55word');
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

describe('sameOriginRedirect', () => {
  const from = new URL('https://issuer.test/jwks');

  it.each([
    ['a path', '/keys', 'https://issuer.test/keys'],
    ['a relative path', 'keys?v=2', 'https://issuer.test/keys?v=2'],
    ['an absolute URL on the same origin', 'https://issuer.test/keys', 'https://issuer.test/keys'],
    [
      'the same origin with its default port',
      'https://issuer.test:443/keys',
      'https://issuer.test/keys',
    ],
  ])('follows %s', (_label, location, expected) => {
    expect(sameOriginRedirect(from, location)?.href).toBe(expected);
  });

  it.each([
    ['a downgrade from https to http on the same host', 'http://issuer.test/jwks'],
    ['another host', 'https://attacker.test/jwks'],
    ['a sub-domain', 'https://keys.issuer.test/jwks'],
    ['another port', 'https://issuer.test:8443/jwks'],
    ['a protocol-relative URL to another host', '//attacker.test/jwks'],
    ['a data: URL', 'data:application/json,{"keys":[]}'],
    ['a file: URL', 'file:///etc/passwd'],
    ['no Location', null],
    ['an unparsable Location', 'http://[::1'],
  ])('refuses %s', (_label, location) => {
    expect(sameOriginRedirect(from, location)).toBeUndefined();
  });
});
