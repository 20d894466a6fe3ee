import { dataDirOf, databaseSettings } from '../config/app-config';
import type { OpenDatabase } from '../database/database';
import { migrate } from '../database/migrate';
import {
  answers,
  EMBEDDED_SOCKET,
  EMBEDDED_SOCKET_PORT,
  openEmbedded,
  openPostgres,
} from '../database/open-database';
import { readDemoIssuerFile } from '../dev-issuer/demo-issuer-file';
import type { RegistrationSettings } from './client-registration';
import * as path from 'node:path';

/**
 * The CLI's database, the app's: DATABASE_URL; or, with it unset, the embedded database under
 * DATA_DIR, through the running app's socket (PGlite is single-process), or opened directly when
 * no app runs on it.
 */
export async function openCliDatabase(env: NodeJS.ProcessEnv): Promise<OpenDatabase> {
  const settings = databaseSettings(env);
  if ('url' in settings) {
    const open = await openPostgres(settings.url);
    await migrateOrClose(open);
    return open;
  }
  const dir = path.resolve(settings.dataDir);
  if (await answers(path.join(dir, EMBEDDED_SOCKET))) {
    // The app migrated it when it started.
    return openPostgres({ host: dir, port: EMBEDDED_SOCKET_PORT });
  }
  const open = await openEmbedded(dir, false);
  await migrateOrClose(open);
  return open;
}

async function migrateOrClose(open: OpenDatabase): Promise<void> {
  try {
    await migrate(open.db);
  } catch (error) {
    await open.close();
    throw error;
  }
}

/**
 * Where `create` registers clients: OAUTH_REGISTRATION_ENDPOINT with OAUTH_INITIAL_ACCESS_TOKEN
 * (and OAUTH_TOKEN_ENDPOINT, OAUTH_ISSUER for the printed instructions) for your authorization
 * server; with OAUTH_ISSUER unset, the running demo's issuer (DATA_DIR/demo-issuer.json).
 * Undefined: no registration here, `create` then needs `--client-id`.
 */
export function registrationSettings(env: NodeJS.ProcessEnv): RegistrationSettings | undefined {
  const endpoint = env['OAUTH_REGISTRATION_ENDPOINT']?.trim();
  if (endpoint) {
    const initialAccessToken = env['OAUTH_INITIAL_ACCESS_TOKEN']?.trim();
    if (!initialAccessToken) {
      throw new Error('OAUTH_REGISTRATION_ENDPOINT is set but OAUTH_INITIAL_ACCESS_TOKEN is not');
    }
    return {
      registrationEndpoint: endpoint,
      initialAccessToken,
      tokenEndpoint: env['OAUTH_TOKEN_ENDPOINT']?.trim() ?? '',
      issuer: env['OAUTH_ISSUER']?.trim() ?? '',
    };
  }
  if (env['OAUTH_ISSUER']?.trim()) return undefined;
  return readDemoIssuerFile(path.resolve(dataDirOf(env)));
}
