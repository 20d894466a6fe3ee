/*
 * Internal to the test kit (not exported from its barrel): a real HTTP server on 127.0.0.1 and a
 * free port, whose routes a test swaps at will (a JWKS that is down, hangs, answers garbage or
 * redirects) and whose requests it counts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request. */
export type Responder = (request: IncomingMessage, response: ServerResponse) => void;

export class TestHttpServer {
  private readonly routes = new Map<string, Responder>();
  private readonly counts = new Map<string, number>();
  private fallback: Responder = reply.status(404);
  /** `METHOD url` of every request received, in order. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>` */
    readonly origin: string,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const path = new URL(request.url ?? '/', origin).pathname;
      this.counts.set(path, this.hits(path) + 1);
      this.requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
      const responder = this.routes.get(path) ?? this.fallback;
      responder(request, response);
    });
  }

  static async start(): Promise<TestHttpServer> {
    const server = createServer();
    // A test run must never wait on an idle connection of ours.
    server.keepAliveTimeout = 500;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new TestHttpServer(server, `http://127.0.0.1:${String(port)}`);
  }

  /** Serves `path` with `responder` from now on (replacing what served it before). */
  route(path: string, responder: Responder): this {
    this.routes.set(path, responder);
    return this;
  }

  /** Serves every path that has no route with `responder` (404 by default). */
  otherwise(responder: Responder): this {
    this.fallback = responder;
    return this;
  }

  /** `origin` + `path`. */
  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Requests received for `path` (any method, any query). */
  hits(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** Forgets every route and every count. */
  reset(): void {
    this.routes.clear();
    this.counts.clear();
    this.requests.length = 0;
    this.fallback = reply.status(404);
  }

  /** Ends every connection, hanging ones included, and stops listening. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** Ready-made responders. */
export const reply = {
  /** A JSON document with a Content-Length. */
  json(body: unknown, status = 200): Responder {
    return reply.text(JSON.stringify(body), status, 'application/json');
  },
  /** A text body with a Content-Length. */
  text(body: string, status = 200, contentType = 'text/plain'): Responder {
    return (_request, response) => {
      response.writeHead(status, {
        'content-type': contentType,
        'content-length': String(Buffer.byteLength(body)),
      });
      response.end(body);
    };
  },
  /** An empty response with this status. */
  status(status: number): Responder {
    return reply.text('', status);
  },
  /** A body sent in chunks with no Content-Length (chunked transfer encoding). */
  chunked(body: string, chunkSize = 256): Responder {
    return (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let offset = 0; offset < body.length; offset += chunkSize) {
        response.write(body.slice(offset, offset + chunkSize));
      }
      response.end();
    };
  },
  /** Never answers: the request hangs until the client gives up or the server closes. */
  hang(): Responder {
    return () => undefined;
  },
  /** Sends the headers and the start of the body, then stalls. */
  stallBody(start = '{"keys":['): Responder {
    return (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(start);
    };
  },
  /** A redirect to `location` (a client must not follow it to a key set). */
  redirect(location: string, status = 302): Responder {
    return (_request, response) => {
      response.writeHead(status, { location, 'content-length': '0' });
      response.end();
    };
  },
  /** What `upstream` answers now (status and body), or 502 if it cannot be reached. */
  proxy(upstream: string): Responder {
    return (request, response) => {
      request.resume();
      fetch(upstream, { signal: AbortSignal.timeout(5_000) })
        .then(async (answer) => {
          reply.text(await answer.text(), answer.status, 'application/json')(request, response);
        })
        .catch(() => {
          reply.status(502)(request, response);
        });
    };
  },
  /** Closes the connection without any response (a network failure for the client). */
  drop(): Responder {
    return (request) => {
      request.socket.destroy();
    };
  },
};
