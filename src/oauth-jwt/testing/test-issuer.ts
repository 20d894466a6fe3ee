import { generateKeyPair, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { OAuthJwtModuleOptions, TrustedIssuerOptions } from '../oauth-jwt-options.interface';
import { HostileTokens, type HostileTokenMint, type UnsignedToken } from './hostile-tokens';
import { rsaKeyPair } from './internal/test-keys';
import { mergeDefined, signJws, unsignedJws, type JsonObject, type JwsSegment } from './jws';
import type { TestIssuerOptions, TestTokenOptions } from './test-issuer-options.interface';

const generateRsaKeyPair = promisify(generateKeyPair);

const DEFAULT_AUDIENCE = 'https://api.test';
const DEFAULT_SUBJECT = 'test-client';
const DEFAULT_TTL_SECONDS = 300;
const JWKS_PATH = '/.well-known/jwks.json';
const TOKEN_PATH = '/token';
const METADATA_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
]);
const MAX_BODY_BYTES = 16_384;
const REQUEST_TIMEOUT_MS = 10_000;

interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/**
 * The key hostile tokens are signed with: never in any issuer's JWKS (each issuer makes its own
 * key). Made on first use and shared by the process, as RSA key generation is slow.
 */
function foreignKeyPair(): KeyPair {
  return rsaKeyPair('test-issuer-foreign');
}

/** A public JWK as the issuer publishes it. */
export interface TestJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly kid: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
}

/**
 * An in-process OAuth 2.0 authorization server for tests: an RSA key pair made with node:crypto,
 * its JWKS, metadata and a client-credentials token endpoint served by node:http on 127.0.0.1
 * (port 0), and RS256 `at+jwt` access tokens the real guards verify. Create it with
 * createTestIssuer(); close() it in `afterAll`.
 */
export class TestIssuer {
  /** The `iss` of its tokens. */
  readonly issuer: string;
  /** Its server, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly jwksUri: string;
  /** Client credentials grant; any `client_id`, no secret checked (tests only). */
  readonly tokenEndpoint: string;
  readonly audience: string | string[];
  readonly keyId: string;
  /** Tokens the guards must refuse, each with a known 401 `error_description`. */
  readonly hostile: HostileTokens;

  private jwksRequests = 0;
  private closing: Promise<void> | undefined;
  private readonly ttlSeconds: number;

  private constructor(
    private readonly server: http.Server,
    private readonly keys: KeyPair,
    options: TestIssuerOptions & { keyId: string },
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.issuer = options.issuer ?? this.url;
    this.jwksUri = `${this.url}${JWKS_PATH}`;
    this.tokenEndpoint = `${this.url}${TOKEN_PATH}`;
    const audience = options.audience ?? DEFAULT_AUDIENCE;
    this.audience = Array.isArray(audience) ? [...audience] : audience;
    this.keyId = options.keyId;
    this.ttlSeconds = options.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
    this.hostile = new HostileTokens(this.mint());
    server.on('request', (request, response) => {
      this.handle(request, response);
    });
  }

  /** Starts an issuer; prefer createTestIssuer(). */
  static async start(options: TestIssuerOptions = {}): Promise<TestIssuer> {
    const keys = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
    const server = http.createServer();
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const keyId = options.keyId ?? `test-key-${randomBytes(4).toString('hex')}`;
    return new TestIssuer(server, keys, { ...options, keyId });
  }

  /** How many times its JWKS was fetched. */
  get jwksRequestCount(): number {
    return this.jwksRequests;
  }

  /** A valid RS256 access token (`typ` at+jwt, its `kid`) carrying what `options` asks for. */
  token(options: TestTokenOptions = {}): string {
    const { header, payload } = this.unsigned(options);
    return this.sign(header, payload);
  }

  /**
   * Signs any header and payload (objects, or raw text sent as is) with the key its JWKS
   * publishes (RS256, whatever the header says): for hostile tokens HostileTokens lacks.
   */
  sign(header: JwsSegment, payload: JwsSegment): string {
    return signJws(header, payload, { alg: 'RS256', key: this.keys.privateKey });
  }

  /**
   * OAuthJwtModule options that trust this issuer: its `issuer`, `audience` and `jwksUri`, then
   * `overrides` (e.g. `clientResolver`, `keySet`).
   */
  moduleOptions(overrides: Partial<OAuthJwtModuleOptions> = {}): OAuthJwtModuleOptions {
    return { ...this.trustedIssuer(), ...overrides };
  }

  /**
   * An entry of the `issuers` option that trusts this issuer (its `issuer`, `audience` and
   * `jwksUri`), then `overrides` (e.g. `profile`).
   */
  trustedIssuer(overrides: Partial<TrustedIssuerOptions> = {}): TrustedIssuerOptions {
    return {
      issuer: this.issuer,
      audience: Array.isArray(this.audience) ? [...this.audience] : this.audience,
      jwksUri: this.jwksUri,
      ...overrides,
    };
  }

  /** The JWKS it serves: its one public signing key. */
  jwks(): { keys: TestJwk[] } {
    const { n, e } = this.keys.publicKey.export({ format: 'jwk' });
    if (typeof n !== 'string' || typeof e !== 'string') throw new Error('RSA key export failed');
    return { keys: [{ kty: 'RSA', n, e, kid: this.keyId, alg: 'RS256', use: 'sig' }] };
  }

  /** Stops the server and drops its open connections. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private unsigned(options: TestTokenOptions): UnsignedToken {
    const now = Math.floor(Date.now() / 1000);
    const sub = options.sub ?? DEFAULT_SUBJECT;
    const audience = options.audience ?? this.audience;
    const payload: JsonObject = {
      iss: options.issuer ?? this.issuer,
      sub,
      aud: typeof audience === 'string' ? audience : [...audience],
      iat: now,
      exp: now + (options.expiresIn ?? this.ttlSeconds),
      jti: randomUUID(),
      client_id: sub,
      ...(options.scopes && options.scopes.length > 0 ? { scope: options.scopes.join(' ') } : {}),
    };
    return {
      header: mergeDefined({ alg: 'RS256', typ: 'at+jwt', kid: this.keyId }, options.header),
      payload: mergeDefined(payload, options.claims),
    };
  }

  private mint(): HostileTokenMint {
    return {
      unsigned: (options) => this.unsigned(options),
      sign: ({ header, payload }) => this.sign(header, payload),
      signWithForeignKey: ({ header, payload }) =>
        signJws(header, payload, { alg: 'RS256', key: foreignKeyPair().privateKey }),
      signHs256WithPublicKey: ({ header, payload }) =>
        signJws(header, payload, {
          alg: 'HS256',
          secret: this.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        }),
      unsecured: ({ header, payload }) => unsignedJws({ ...header, alg: 'none' }, payload),
    };
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = new URL(request.url ?? '/', this.url).pathname;
    // Swagger UI and other browser clients call the token endpoint cross-origin.
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (request.method === 'GET' && path === JWKS_PATH) {
      this.jwksRequests += 1;
      sendJson(response, 200, this.jwks());
    } else if (request.method === 'GET' && METADATA_PATHS.has(path)) {
      sendJson(response, 200, this.metadata());
    } else if (request.method === 'OPTIONS' && path === TOKEN_PATH) {
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'authorization, content-type',
        'Access-Control-Max-Age': '600',
      });
      response.end();
    } else if (request.method === 'POST' && path === TOKEN_PATH) {
      readForm(request).then(
        (form) => {
          this.issueToken(request, form, response);
        },
        () => {
          sendJson(response, 400, { error: 'invalid_request' });
        },
      );
    } else {
      sendJson(response, 404, { error: 'not_found' });
    }
  }

  private metadata(): JsonObject {
    return {
      issuer: this.issuer,
      jwks_uri: this.jwksUri,
      token_endpoint: this.tokenEndpoint,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** RFC 6749 §4.4: the client id from HTTP Basic or the form; no secret is checked. */
  private issueToken(
    request: http.IncomingMessage,
    form: URLSearchParams,
    response: http.ServerResponse,
  ): void {
    if (form.get('grant_type') !== 'client_credentials') {
      sendJson(response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const clientId = basicClientId(request.headers.authorization) ?? form.get('client_id');
    if (!clientId) {
      response.setHeader('WWW-Authenticate', 'Basic realm="test-issuer"');
      sendJson(response, 401, { error: 'invalid_client' });
      return;
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    sendJson(response, 200, {
      access_token: this.token({ sub: clientId, scopes }),
      token_type: 'Bearer',
      expires_in: this.ttlSeconds,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    });
  }
}

/** Starts a TestIssuer on 127.0.0.1 (port 0). Call `close()` on it in `afterAll`. */
export function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  return TestIssuer.start(options);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy();
        reject(new Error('token request too large'));
      } else {
        chunks.push(chunk);
      }
    });
    request.on('error', reject);
    request.on('end', () => {
      resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id):urlencode(secret))`. */
function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
