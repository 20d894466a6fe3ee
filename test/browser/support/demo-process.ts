import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** What the demo prints for Swagger UI: where it is and the client to authorize with. */
export interface DemoProcess {
  /** e.g. `http://127.0.0.1:41234` */
  readonly apiUrl: string;
  /** The embedded issuer, e.g. `http://127.0.0.1:39871` */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Everything it printed so far. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Runs the built demo as a user does (`node dist/main.js`, no OAUTH_* nor PARTNERS_FILE set, PORT
 * 0) and reads the API's URL, the issuer and a client's credentials from what it prints.
 */
export async function startDemoProcess(): Promise<DemoProcess> {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`npm run build\` (npm run test:browser does)`);
  }
  // Nothing configured (demo mode), port 0, no colours in the logs we read.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('OAUTH_') &&
        !['PARTNERS_FILE', 'NODE_OPTIONS', 'DATABASE_URL'].includes(name),
    ),
  );
  // Its own DATA_DIR (embedded database, issuer state), not the repository's ./data.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'demo-browser-'));
  Object.assign(env, { PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', DATA_DIR: dataDir });
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    const printed = await waitForInstructions(child, () => output);
    return { ...printed, output: () => output, close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

type Printed = Omit<DemoProcess, 'output' | 'close'>;

function parseInstructions(output: string): Printed | undefined {
  const apiUrl = /Swagger UI: open (http:\/\/\S+)\/docs, click Authorize/.exec(output)?.[1];
  const issuer = /^ {2}issuer: +(http:\/\/\S+)$/m.exec(output)?.[1];
  const clientId = /^ {2}client_id: +(\S+)$/m.exec(output)?.[1];
  const clientSecret = /^ {2}client_secret: +(\S+)$/m.exec(output)?.[1];
  return apiUrl && issuer && clientId && clientSecret
    ? { apiUrl, issuer, clientId, clientSecret }
    : undefined;
}

function waitForInstructions(
  child: ChildProcessWithoutNullStreams,
  output: () => string,
): Promise<Printed> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`${reason}; it printed:\n${output()}`));
    };
    const onData = () => {
      const printed = parseInstructions(output());
      if (printed) {
        cleanup();
        resolve(printed);
      }
    };
    const onExit = (code: number | null) => {
      fail(`the demo exited (code ${String(code)}) before printing its instructions`);
    };
    const timer = setTimeout(() => {
      fail(`the demo printed no instructions within ${START_TIMEOUT_MS} ms`);
    }, START_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM (Nest closes the app; the issuer exits with its stdin), then SIGKILL if need be. */
async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
