import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import * as path from 'node:path';
import type { DatabaseSettings, OpenDatabase } from './database';
import { migrate } from './migrate';

/** The embedded database's files, under DATA_DIR. */
export const EMBEDDED_DB_DIR = 'pgdata';
/**
 * The running app serves its embedded database on this Unix socket under DATA_DIR, so that the
 * partners CLI (another process: PGlite is single-process) reaches it with `pg` as it would a
 * PostgreSQL server. Named as PostgreSQL names its sockets: `pg` finds it with host=DATA_DIR.
 */
export const EMBEDDED_SOCKET = '.s.PGSQL.5432';
export const EMBEDDED_SOCKET_PORT = 5432;

/** Opens the database and brings its schema up to date (migrations are idempotent). */
export async function openDatabase(
  settings: DatabaseSettings,
  options: { serveSocket?: boolean } = {},
): Promise<OpenDatabase> {
  const open =
    'url' in settings
      ? await openPostgres(settings.url)
      : await openEmbedded(settings.dataDir, options.serveSocket ?? true);
  try {
    await migrate(open.db);
  } catch (error) {
    await open.close();
    throw error;
  }
  return open;
}

/** `close()` runs once; later calls resolve with the first one. */
function closingOnce(open: OpenDatabase): OpenDatabase {
  let closing: Promise<void> | undefined;
  return { ...open, close: () => (closing ??= open.close()) };
}

/** node-postgres on a PostgreSQL server (DATABASE_URL), or on the app's embedded socket (CLI). */
export async function openPostgres(
  url: string | { host: string; port: number },
): Promise<OpenDatabase> {
  const [{ Pool }, { drizzle }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new Pool({
    ...(typeof url === 'string'
      ? { connectionString: url }
      : { host: url.host, port: url.port, user: 'postgres', database: 'postgres' }),
    max: typeof url === 'string' ? 10 : 1,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server emits 'error' on the pool: the next query reconnects.
  pool.on('error', () => undefined);
  return closingOnce({
    db: drizzle(pool),
    kind: 'postgres',
    close: () => pool.end(),
  });
}

/**
 * PGlite (PostgreSQL in WASM) under `dataDir`, created on first use. Refuses a data directory that
 * another running app already serves: two processes writing one PGlite directory corrupt it.
 */
export async function openEmbedded(dataDir: string, serveSocket: boolean): Promise<OpenDatabase> {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The socket (and the demo issuer's credentials) are guarded by this directory's permissions.
  chmodSync(dir, 0o700);
  const socketPath = path.join(dir, EMBEDDED_SOCKET);
  if (await answers(socketPath)) {
    throw new Error(
      `DATA_DIR ${dir} is in use by another running app (its database socket answers); ` +
        'stop it, or set another DATA_DIR',
    );
  }
  // PGlite is ESM/WASM with a CommonJS build that loads its WASM by dynamic import.
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await PGlite.create(path.join(dir, EMBEDDED_DB_DIR));
  let server: { stop(): Promise<void> } | undefined;
  try {
    if (serveSocket) {
      const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
      rmSync(socketPath, { force: true }); // left by a crash; nothing answers on it (checked above)
      const socketServer = new PGLiteSocketServer({ db: client, path: socketPath });
      await socketServer.start();
      server = socketServer;
    }
  } catch (error) {
    await client.close();
    throw error;
  }
  return closingOnce({
    db: drizzle(client),
    kind: 'embedded',
    close: async () => {
      await server?.stop();
      rmSync(socketPath, { force: true });
      await client.close();
    },
  });
}

/** True when something accepts connections on the Unix socket (within a second). */
export function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => {
      done(false);
    });
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}
