import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { closedLoopbackPort } from './network';

const REDIS_SERVER = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** A real redis-server on 127.0.0.1 (port picked by the test), without persistence. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server (SIGKILL: an outage, not a clean shutdown); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/**
 * Starts redis-server (Debian's `redis-server` package; `.ci/run` installs it). Fails with a
 * message naming the binary when it is missing.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await closedLoopbackPort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) return;
      child = await launch(port);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) =>
        running.once('exit', () => {
          resolve();
        }),
      );
      running.kill('SIGKILL');
      await Promise.race([exited, delay(STOP_TIMEOUT_MS, undefined, { ref: false })]);
    },
  };
  await server.start();
  return server;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => {
      reject(
        new Error(`cannot run ${REDIS_SERVER} (apt-get install redis-server): ${error.message}`),
      );
    });
    child.once('exit', (code) => {
      reject(new Error(`${REDIS_SERVER} exited with code ${String(code)}`));
    });
  });
  failed.catch(() => undefined);
  await Promise.race([waitForPort(port), failed]);
  return child;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await answersPing(port)) return;
    await delay(50);
  }
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      done(data.toString().startsWith('+PONG'));
    });
  });
}
