import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

/**
 * Starts and controls the development authorization server (issuer-server.mjs)
 * as a child process. oidc-provider is ESM-only and cannot be loaded by Jest or
 * by the CommonJS build, so it always runs out-of-process and is driven over a
 * small newline-delimited JSON protocol on stdin/stdout.
 */

export interface DevIssuerClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Added verbatim to the client's access tokens (e.g. `scp`, `permissions`). */
  extraClaims?: Record<string, unknown>;
}

export interface DevIssuerOptions {
  audience: string;
  scopes: string[];
  clients: DevIssuerClient[];
  accessTokenTtlSeconds?: number;
  port?: number;
  startTimeoutMs?: number;
  /** Keep the signing keys and the registered clients here (created 0700), across restarts. */
  dataDir?: string;
  /** Enables RFC 7591 registration (and RFC 7592 management) for holders of this token. */
  initialAccessToken?: string;
}

/** Thrown by {@link DevIssuer.getToken}; carries no credentials. */
export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    readonly errorDescription: string | undefined,
    clientId: string,
  ) {
    const detail = errorDescription ? ` (${errorDescription})` : '';
    super(
      `token request for client "${clientId}" failed: HTTP ${status} ${error ?? 'unknown_error'}${detail}`,
    );
    this.name = 'TokenRequestError';
  }
}

const SERVER_SCRIPT = path.join(__dirname, 'issuer-server.mjs');
const DEFAULT_START_TIMEOUT_MS = 15_000;
const COMMAND_TIMEOUT_MS = 10_000;
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const KILL_WAIT_MS = 2_000;
const STDERR_TAIL_LINES = 40;

interface IssuerEvent {
  event: string;
  [key: string]: unknown;
}

interface ReadyEvent {
  issuer: string;
  port: number;
  tokenEndpoint: string;
  jwksUri: string;
  registrationEndpoint: string | undefined;
  kid: string;
}

interface EventWaiter {
  events: readonly string[];
  resolve: (event: IssuerEvent) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

// ---------------------------------------------------------------------------
// child process bookkeeping: children never outlive the parent process
// ---------------------------------------------------------------------------

const liveChildren = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

function trackChild(child: ChildProcessWithoutNullStreams): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    // A single hook for all issuers avoids MaxListenersExceeded warnings.
    process.once('exit', () => {
      for (const live of liveChildren) live.kill('SIGKILL');
    });
    exitHookInstalled = true;
  }
}

function hasExited(child: ChildProcessWithoutNullStreams): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true once the child has exited, false if it is still alive after `ms`. */
function waitForExit(child: ChildProcessWithoutNullStreams, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

// ---------------------------------------------------------------------------
// protocol parsing
// ---------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEventLine(line: string): IssuerEvent | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    if (isRecord(parsed) && typeof parsed.event === 'string') {
      return { ...parsed, event: parsed.event };
    }
  } catch {
    // Not a protocol line; ignored below.
  }
  return undefined;
}

function stringField(event: IssuerEvent, key: string): string {
  const value = event[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`dev issuer sent an invalid "${event.event}" event: missing ${key}`);
  }
  return value;
}

function parseReadyEvent(event: IssuerEvent): ReadyEvent {
  const port = event.port;
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    throw new Error('dev issuer sent an invalid "ready" event: missing port');
  }
  return {
    issuer: stringField(event, 'issuer'),
    port,
    tokenEndpoint: stringField(event, 'tokenEndpoint'),
    jwksUri: stringField(event, 'jwksUri'),
    registrationEndpoint:
      typeof event.registrationEndpoint === 'string' ? event.registrationEndpoint : undefined,
    kid: stringField(event, 'kid'),
  };
}

/** The child's environment: config in ISSUER_CONFIG, no inherited NODE_OPTIONS. */
function childEnv(options: DevIssuerOptions): NodeJS.ProcessEnv {
  const config = {
    audience: options.audience,
    scopes: options.scopes,
    clients: options.clients,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir: options.dataDir,
    initialAccessToken: options.initialAccessToken,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ISSUER_CONFIG: JSON.stringify(config),
  };
  // NODE_OPTIONS may carry loaders or --inspect flags meant for the parent (ts-node, debuggers).
  delete env.NODE_OPTIONS;
  return env;
}

// ---------------------------------------------------------------------------
// stdout event channel
// ---------------------------------------------------------------------------

/**
 * Reads event lines from the child's stdout and hands each one to the oldest
 * waiter interested in it. Keeps a short stderr tail for error messages.
 */
class EventChannel {
  private readonly waiters: EventWaiter[] = [];
  private readonly stderrTail: string[] = [];
  private exitReason: string | undefined;

  constructor(child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const event = parseEventLine(line);
      if (event) this.dispatch(event);
    });
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      this.recordStderr(line);
    });
    // Writes after the child died would otherwise surface as an unhandled EPIPE.
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => {
      this.fail(`failed to run dev issuer: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      this.fail(`dev issuer exited (code ${String(code)}, signal ${String(signal)})`);
    });
  }

  /** Resolves with the next event whose name is in `events`, or rejects on timeout/exit. */
  waitFor(events: readonly string[], timeoutMs: number): Promise<IssuerEvent> {
    if (this.exitReason !== undefined) {
      return Promise.reject(this.errorWithStderr(this.exitReason));
    }
    return new Promise((resolve, reject) => {
      const waiter: EventWaiter = {
        events,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(waiter);
          const expected = events.join('" or "');
          reject(this.errorWithStderr(`timed out after ${timeoutMs} ms waiting for "${expected}"`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private dispatch(event: IssuerEvent): void {
    const waiter = this.waiters.find((candidate) => candidate.events.includes(event.event));
    if (!waiter) return;
    this.remove(waiter);
    waiter.resolve(event);
  }

  private fail(reason: string): void {
    this.exitReason ??= reason;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.errorWithStderr(reason));
    }
  }

  private remove(waiter: EventWaiter): void {
    clearTimeout(waiter.timer);
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  private recordStderr(line: string): void {
    // Opt-in forwarding; by default the child's logs only appear in error messages.
    if (process.env.DEV_ISSUER_DEBUG === '1') {
      process.stderr.write(`[dev-issuer] ${line}\n`);
    }
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
  }

  private errorWithStderr(message: string): Error {
    const tail = this.stderrTail.join('\n').trim();
    return new Error(tail ? `${message}\n--- dev issuer stderr ---\n${tail}` : message);
  }
}

// ---------------------------------------------------------------------------
// DevIssuer
// ---------------------------------------------------------------------------

export class DevIssuer {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** RFC 7591 registration endpoint, when an initial access token enabled it. */
  readonly registrationEndpoint: string | undefined;
  readonly port: number;

  private kid: string;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly channel: EventChannel,
    ready: ReadyEvent,
  ) {
    this.issuer = ready.issuer;
    this.tokenEndpoint = ready.tokenEndpoint;
    this.jwksUri = ready.jwksUri;
    this.registrationEndpoint = ready.registrationEndpoint;
    this.port = ready.port;
    this.kid = ready.kid;
  }

  /** Spawns the issuer and resolves once it has announced that it is listening. */
  static async start(options: DevIssuerOptions): Promise<DevIssuer> {
    const child = spawn(process.execPath, [SERVER_SCRIPT], {
      env: childEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    trackChild(child);
    const channel = new EventChannel(child);
    try {
      const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      const ready = parseReadyEvent(await channel.waitFor(['ready'], timeoutMs));
      return new DevIssuer(child, channel, ready);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** The kid currently used to sign new access tokens. */
  get currentKid(): string {
    return this.kid;
  }

  /** Requests a client-credentials access token over real HTTP (client_secret_basic). */
  async getToken(
    clientId: string,
    clientSecret: string,
    scopes?: string[],
    resource?: string,
  ): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scopes && scopes.length > 0) body.set('scope', scopes.join(' '));
    if (resource !== undefined) body.set('resource', resource);

    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
    const payload = await readJson(response);
    const accessToken = payload?.access_token;
    if (!response.ok || typeof accessToken !== 'string') {
      throw new TokenRequestError(
        response.status,
        optionalString(payload?.error),
        optionalString(payload?.error_description),
        clientId,
      );
    }
    return accessToken;
  }

  /** Signs new tokens with a fresh key; the previous key stays published. Resolves the new kid. */
  async rotateKeys(): Promise<string> {
    const event = await this.command('rotate', 'rotated');
    this.kid = stringField(event, 'kid');
    return this.kid;
  }

  /** Stops publishing every key except the current signing key. */
  async retireOldKeys(): Promise<void> {
    await this.command('retire-old-keys', 'retired');
  }

  /**
   * The browser origins (exact `http(s)://host:port`, e.g. a Swagger UI's) whose cross-origin token
   * requests the issuer answers; replaces the previous list. None until called.
   */
  async allowCorsOrigins(origins: readonly string[]): Promise<void> {
    await this.command('allow-origins', 'origins-allowed', { origins });
  }

  /** SIGTERM, then SIGKILL if the child does not exit in time. Safe to call repeatedly. */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    const { child } = this;
    if (hasExited(child)) return;
    child.stdin.end();
    child.kill('SIGTERM');
    if (await waitForExit(child, STOP_GRACE_MS)) return;
    child.kill('SIGKILL');
    if (!(await waitForExit(child, KILL_WAIT_MS))) {
      throw new Error(`dev issuer (pid ${child.pid ?? '?'}) did not exit after SIGKILL`);
    }
  }

  private async command(
    cmd: string,
    expectedEvent: string,
    payload: Record<string, unknown> = {},
  ): Promise<IssuerEvent> {
    if (this.stopping || hasExited(this.child)) {
      throw new Error(`dev issuer is not running; cannot send "${cmd}"`);
    }
    // Register before writing so a fast reply cannot be missed.
    const reply = this.channel.waitFor([expectedEvent, 'error'], COMMAND_TIMEOUT_MS);
    this.child.stdin.write(`${JSON.stringify({ ...payload, cmd })}\n`);
    const event = await reply;
    if (event.event === 'error') {
      throw new Error(`dev issuer rejected "${cmd}": ${String(event.message)}`);
    }
    return event;
  }
}

// ---------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------

/** RFC 6749 §2.3.1: credentials are form-urlencoded before base64 (matters for ids like "x@clients"). */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  const credentials = `${encode(clientId)}:${encode(clientSecret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = await response.json();
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
