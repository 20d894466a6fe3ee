import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OutgoingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../../src/app.module';
import type { AppConfig } from '../../../src/config/app-config';
import type { SupportedAlgorithm } from '../../../src/oauth-jwt';
import { setupApp } from '../../../src/setup-app';
import { AUDIENCE, ISSUER, LIST_USERS, PARTNERS } from './constants';
import {
  rawRequest,
  send,
  sendRaw,
  type Exchange,
  type RawResponse,
  type RequestSpec,
} from './http-client';
import { signJws, type JsonObject, type JwsSigner } from '../../../src/oauth-jwt/testing';
import { claims, header } from './token-template';
import type { TestHttpServer } from '../../../src/oauth-jwt/testing/internal/test-http-server';
import { JWKS_PATH, startAttackerServer, startJwksServer } from './key-servers';
import { generateSecurityKeys, keyMaterial, type SecurityKeys } from './keys';
import { findLeaks, nonAsciiHeaders, secretRunsOf, type Leak } from './leak-detector';
import { OutputCapture } from './output-capture';

/** One capture per test file (each file has its own module registry): Nest's logger is global. */
const OUTPUT = new OutputCapture();
const PROCESS_FAILURES: string[] = [];
let openHarnesses = 0;

function recordProcessFailure(kind: string): (reason: unknown) => void {
  return (reason) => {
    PROCESS_FAILURES.push(`${kind}: ${reason instanceof Error ? reason.name : typeof reason}`);
  };
}
const onUnhandledRejection = recordProcessFailure('unhandledRejection');
const onUncaughtException = recordProcessFailure('uncaughtException');

export interface SecurityHarnessOptions {
  /** Reuse keys generated for another harness of the same file. */
  readonly keys?: SecurityKeys;
  /** The module's `algorithms` option; the default configuration (RS256 only) when absent. */
  readonly algorithms?: SupportedAlgorithm[];
}

/** What a token is made of: header and claim overrides (undefined removes), and the signer. */
export interface TokenSpec {
  readonly header?: JsonObject;
  readonly claims?: JsonObject;
  readonly signer?: JwsSigner;
}

/** A response of either kind, as the assertions read it. */
export interface SeenResponse {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly text: string;
  readonly body: unknown;
}

/**
 * The sample app exactly as main.ts builds it — AppModule.register(config) + setupApp — listening
 * on 127.0.0.1 port 0, configured with issuer https://issuer.security.test, audience
 * https://api.security.test and a local JWKS server; plus an attacker's server, the keys, and a
 * record of every exchange and every line printed, for the hygiene checks.
 */
export class SecurityHarness {
  private readonly exchanges: { where: string; sent: string; response: SeenResponse }[] = [];

  private constructor(
    readonly keys: SecurityKeys,
    readonly jwks: TestHttpServer,
    readonly attacker: TestHttpServer,
    readonly app: INestApplication,
    readonly baseUrl: string,
    readonly port: number,
  ) {}

  static async start(options: SecurityHarnessOptions = {}): Promise<SecurityHarness> {
    if (openHarnesses === 0) {
      OUTPUT.start();
      process.on('unhandledRejection', onUnhandledRejection);
      process.on('uncaughtException', onUncaughtException);
    }
    openHarnesses += 1;
    const keys = options.keys ?? (await generateSecurityKeys());
    const jwks = await startJwksServer(keys);
    const attacker = await startAttackerServer(keys);
    const config: AppConfig = {
      port: 0,
      host: '127.0.0.1',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: jwks.url(JWKS_PATH),
      partners: PARTNERS,
      ...(options.algorithms ? { oauth: { algorithms: options.algorithms } } : {}),
    };
    const app = setupApp(
      // Nest declares its options as a class, yet documents (and only accepts) plain objects.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      await NestFactory.create(AppModule.register(config), { logger: OUTPUT, abortOnError: false }),
    );
    await app.listen(config.port, config.host);
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    return new SecurityHarness(keys, jwks, attacker, app, `http://127.0.0.1:${port}`, port);
  }

  /** The issuer's own signer: RS256 with its 2048-bit key. */
  get issuerSigner(): JwsSigner {
    return { alg: 'RS256', key: this.keys.issuerRsa.privateKey };
  }

  /** A token: the issuer's header and a complete valid payload, with `spec` applied. */
  token(spec: TokenSpec = {}): string {
    return signJws(header(spec.header), claims(spec.claims), spec.signer ?? this.issuerSigner);
  }

  /** GET `path` (default /users) with this `Authorization` value (none when undefined). */
  get(authorization?: string, path = LIST_USERS): Promise<Exchange> {
    return this.send({
      path,
      headers: authorization === undefined ? {} : { authorization },
    });
  }

  /** GET /users with `Bearer <token>`. */
  bearer(token: string, path = LIST_USERS): Promise<Exchange> {
    return this.get(`Bearer ${token}`, path);
  }

  async send(spec: RequestSpec): Promise<Exchange> {
    const exchange = await send(this.baseUrl, spec);
    this.record(`${exchange.request.method} ${exchange.request.path}`, sentText(spec), exchange);
    return exchange;
  }

  /** A raw request with these header lines (after Host and Connection: close). */
  async raw(headerLines: readonly (string | Buffer)[], path = LIST_USERS): Promise<RawResponse> {
    const bytes = rawRequest(this.port, headerLines, path);
    const response = await sendRaw(this.port, bytes);
    this.record(`raw GET ${path}`, bytes.toString('latin1'), response);
    return response;
  }

  /** Every hygiene problem so far: leaks in responses and logs, non-ASCII headers, crashes. */
  hygieneProblems(): Leak[] {
    const secrets = [
      ...keyMaterial(this.keys),
      ...this.exchanges.flatMap((e) => secretRunsOf(e.sent)),
    ];
    const outputs = [
      ...this.exchanges.flatMap(({ where, response }) => [
        { where: `${where} → body`, text: response.text },
        { where: `${where} → headers`, text: JSON.stringify(response.headers) },
      ]),
      ...OUTPUT.allLines().map((line, index) => ({ where: `log line ${index}`, text: line })),
    ];
    const problems = findLeaks(outputs, secrets);
    for (const { where, response } of this.exchanges) {
      for (const name of nonAsciiHeaders(response.headers)) {
        problems.push({ where, what: `header ${name} is not visible ASCII` });
      }
      if (response.status >= 500) problems.push({ where, what: `status ${response.status}` });
    }
    for (const failure of PROCESS_FAILURES) problems.push({ where: 'process', what: failure });
    return problems;
  }

  /** How many exchanges the hygiene check has looked at (so it cannot pass on nothing). */
  get exchangeCount(): number {
    return this.exchanges.length;
  }

  /** Lines printed so far (Nest logger, console, stdout/stderr). */
  printedLines(): string[] {
    return OUTPUT.allLines();
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled([
      this.app.close(),
      this.jwks.close(),
      this.attacker.close(),
    ]);
    openHarnesses -= 1;
    if (openHarnesses === 0) {
      OUTPUT.stop();
      process.off('unhandledRejection', onUnhandledRejection);
      process.off('uncaughtException', onUncaughtException);
    }
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private record(where: string, sent: string, response: SeenResponse): void {
    this.exchanges.push({ where, sent, response });
  }
}

function sentText(spec: RequestSpec): string {
  const headers: OutgoingHttpHeaders = spec.headers ?? {};
  return [spec.path ?? '', ...Object.values(headers).flat().map(String), spec.body ?? ''].join(
    '\n',
  );
}

/**
 * One SecurityHarness for the enclosing describe block: started before its tests (handed to
 * `started`, which may derive what the block needs from it), closed after them all.
 */
export function useSecurityHarness(
  started: (harness: SecurityHarness) => void,
  options: () => SecurityHarnessOptions = () => ({}),
): void {
  let harness: SecurityHarness | undefined;
  beforeAll(async () => {
    harness = await SecurityHarness.start(options());
    started(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });
}
