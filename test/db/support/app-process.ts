import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { closedLoopbackPort } from '../../support/network';

const MAIN = path.join(__dirname, '..', '..', '..', 'dist', 'main.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The sample as `npm start` runs it (`node dist/main.js`), in its own process. */
export interface AppProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** What it wrote (stdout and stderr), for a failing test's message. */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `node dist/main.js` on 127.0.0.1 and a port picked here, with `env` and none of this
 * process' OAUTH_*, database or NODE_OPTIONS variables; resolves once /health answers 200
 * (at most 30 s).
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  const port = await closedLoopbackPort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('OAUTH_') &&
        !['NODE_OPTIONS', 'DATABASE_URL', 'DATA_DIR', 'PARTNERS_FILE', 'REDIS_URL'].includes(name),
    ),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...clean, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stopProcess(child),
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the app exited with code ${child.exitCode}:\n${output}`);
    }
    const status = await fetch(`${app.url}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return app;
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app did not answer /health within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await delay(100);
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const stopped = await Promise.race([
    exited.then(() => true),
    delay(STOP_TIMEOUT_MS, false, { ref: false }),
  ]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
}
