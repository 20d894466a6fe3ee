import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
const TIMEOUT_MS = 30_000;

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last line of stdout, parsed (with --json). */
  readonly json: unknown;
}

/**
 * Runs the built CLI as `npm run partners -- ...` does (`node dist/cli/main.js`), in its own
 * process, with only the given database settings and none of this process' OAUTH_* or NODE_OPTIONS.
 */
export function partnersCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('OAUTH_') &&
        !['NODE_OPTIONS', 'DATABASE_URL', 'DATA_DIR', 'PARTNERS_FILE'].includes(name),
    ),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...clean, ...env }, timeout: TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const last = stdout.trimEnd().split('\n').at(-1) ?? '';
        let json: unknown;
        try {
          json = JSON.parse(last);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
