import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The local issuer's JWKS endpoint: one path per app, so each app's fetches are counted apart. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The JWKS URL an app named `name` uses. */
  uriFor(name: string): string;
  /** How many requests the JWKS URL of `name` has served. */
  fetchCount(name: string): number;
  close(): Promise<void>;
}

/**
 * Serves `jwks` at `/jwks/<name>` on 127.0.0.1 (port 0), each response after `delayMs`, the
 * latency of a real issuer that lets concurrent cold requests pile up behind one fetch.
 */
export async function startJwksServer(jwks: object, delayMs: number): Promise<JwksServer> {
  const body = JSON.stringify(jwks);
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const match = /^\/jwks\/([\w-]+)$/.exec(request.url ?? '');
    const name = match?.[1];
    if (request.method !== 'GET' || name === undefined) {
      response.writeHead(404).end();
      return;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    setTimeout(() => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    uriFor: (name) => `${origin}/jwks/${name}`,
    fetchCount: (name) => counts.get(name) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
