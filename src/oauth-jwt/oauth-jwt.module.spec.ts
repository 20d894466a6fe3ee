import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { KeySetOptions } from './oauth-jwt-options.interface';
import { OAuthJwtModule } from './oauth-jwt.module';
import { publicJwk, rsaKeyPair } from './testing/internal/test-keys';
import { TestHttpServer, reply } from './testing/internal/test-http-server';
import { useTestHttpServer } from './testing/internal/test-http-server.spec-helper';

const ISSUER = 'https://issuer.test/';

/** Nest's log lines, as the module's Logger prints them. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {
    // not under test
  }
  error(): void {
    // not under test
  }
  debug(): void {
    // not under test
  }
  verbose(): void {
    // not under test
  }
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

let server: TestHttpServer;
useTestHttpServer((started) => (server = started));

/** Starts an app with the module warming its key set up from `jwksUri`; returns the key-set warnings. */
async function startUpWarnings(jwksUri: string, keySet: KeySetOptions = {}): Promise<string[]> {
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      OAuthJwtModule.forRoot({
        issuer: ISSUER,
        audience: 'https://api.test',
        jwksUri,
        keySet: { warmUp: true, ...keySet },
      }),
    ],
  })
    .setLogger(logger)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication();
  try {
    await app.init();
  } finally {
    await app.close();
  }
  return logger.warnings.filter((line) => line.includes('signing keys'));
}

function warningFor(cause: string): string[] {
  return [
    `Could not fetch the signing keys of ${ISSUER} at start-up: ${cause}; will retry on demand`,
  ];
}

describe('OAuthJwtModule start-up warning when the key set cannot be fetched', () => {
  it('says nothing when the keys are fetched', async () => {
    server.route('/jwks', reply.json({ keys: [publicJwk(rsaKeyPair('a'), { kid: 'a' })] }));
    expect(await startUpWarnings(`${server.origin}/jwks`)).toEqual([]);
  });

  it('names a refused connection', async () => {
    const closed = await TestHttpServer.start();
    await closed.close();
    expect(await startUpWarnings(`${closed.origin}/jwks`)).toEqual(
      warningFor(`connection refused (ECONNREFUSED) at ${closed.origin}/jwks`),
    );
  });

  it('names a timeout', async () => {
    server.route('/jwks', reply.hang());
    expect(await startUpWarnings(`${server.origin}/jwks`, { timeoutMs: 200 })).toEqual(
      warningFor(`timeout (keySet.timeoutMs) at ${server.origin}/jwks`),
    );
  });

  it('names the HTTP status, and the URL without its query (it may carry a credential)', async () => {
    server.route('/jwks', reply.status(503));
    const warnings = await startUpWarnings(`${server.origin}/jwks?api_key=s3cr3t`);
    expect(warnings).toEqual(warningFor(`HTTP status 503 at ${server.origin}/jwks`));
    expect(warnings.join('\n')).not.toContain('s3cr3t');
  });

  it.each([
    ['not JSON', reply.text('<html>Gateway</html>', 200, 'text/html'), 'bad document: not JSON'],
    ['not a JWKS', reply.json({ issuer: ISSUER }), 'bad document: not a JWKS (no "keys" array)'],
    [
      'a JWKS without a usable key',
      reply.json({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }),
      "bad document: no usable key in the JWKS (see algorithms, and the keys' kty, alg, use and size)",
    ],
  ])('names a bad document: %s', async (_label, responder, cause) => {
    server.route('/jwks', responder);
    expect(await startUpWarnings(`${server.origin}/jwks`)).toEqual(
      warningFor(`${cause} at ${server.origin}/jwks`),
    );
  });

  it('names a redirect it refused to follow', async () => {
    const other = await TestHttpServer.start();
    try {
      server.route('/jwks', (_request, response) => {
        response.writeHead(302, { location: `${other.origin}/jwks` }).end();
      });
      expect(await startUpWarnings(`${server.origin}/jwks`)).toEqual(
        warningFor(
          `redirect refused (only 3 redirects within the URL's origin are followed) at ${server.origin}/jwks`,
        ),
      );
    } finally {
      await other.close();
    }
  });
});
