import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KID } from './constants';
import { publicJwk, type SecurityKeys } from './keys';

/** A local HTTP server on 127.0.0.1, port 0, that records every request it receives. */
export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Method and URL of every request received, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

async function startRecordingServer(
  respond: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<RecordingServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
    respond(request, response);
  });
  // A test run must never wait on an idle connection of ours.
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

function sendJson(response: ServerResponse, document: unknown): void {
  const body = JSON.stringify(document);
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

export interface JwksServer extends RecordingServer {
  /** The JWKS URL the app is configured with. */
  readonly jwksUri: string;
  /** How many times the JWKS was fetched. */
  readonly fetchCount: () => number;
}

/**
 * The issuer's JWKS: its RSA 2048 and EC P-256 keys, plus entries that must never verify a token:
 * the same RSA key marked `use: enc`, the same RSA key pinned to PS256, an RSA 1024 key and an RSA
 * 2048 key with public exponent 3.
 */
export async function startJwksServer(keys: SecurityKeys): Promise<JwksServer> {
  const jwks = {
    keys: [
      publicJwk(keys.issuerRsa, { kid: KID.rsa, use: 'sig', alg: 'RS256' }),
      publicJwk(keys.issuerRsa, { kid: KID.rsaEnc, use: 'enc' }),
      publicJwk(keys.issuerRsa, { kid: KID.rsaPs, use: 'sig', alg: 'PS256' }),
      publicJwk(keys.issuerEc, { kid: KID.ec, use: 'sig', alg: 'ES256' }),
      publicJwk(keys.weakRsa, { kid: KID.weakRsa, use: 'sig', alg: 'RS256' }),
      publicJwk(keys.lowExponentRsa, { kid: KID.lowExponentRsa, use: 'sig', alg: 'RS256' }),
    ],
  };
  const server = await startRecordingServer((request, response) => {
    if (request.url === '/jwks.json') {
      sendJson(response, jwks);
    } else {
      response.writeHead(404).end();
    }
  });
  return {
    ...server,
    jwksUri: `${server.url}/jwks.json`,
    fetchCount: () => server.requests.filter((line) => line === 'GET /jwks.json').length,
  };
}

/**
 * The attacker's server: answers any path with a JWKS of the attacker's keys (or their certificate
 * for `.pem`/`.crt`), so that if the app ever followed `jku`, `x5u` or `iss`, it would find keys
 * there. The security tests assert it receives no request at all.
 */
export function startAttackerServer(keys: SecurityKeys): Promise<RecordingServer> {
  const jwks = {
    keys: [
      publicJwk(keys.attackerRsa, { kid: KID.attackerRsa, use: 'sig', alg: 'RS256' }),
      publicJwk(keys.attackerRsa, { kid: KID.rsa, use: 'sig', alg: 'RS256' }),
      publicJwk(keys.attackerEc, { kid: KID.attackerEc, use: 'sig', alg: 'ES256' }),
    ],
  };
  const pem = `-----BEGIN CERTIFICATE-----\n${keys.attackerCertificate.toString('base64')}\n-----END CERTIFICATE-----\n`;
  return startRecordingServer((request, response) => {
    if (request.url?.endsWith('.pem') || request.url?.endsWith('.crt')) {
      response.writeHead(200, { 'content-type': 'application/pem-certificate-chain' }).end(pem);
    } else {
      sendJson(response, jwks);
    }
  });
}
