import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';
import { dataDirOf, databaseSettings, portOf } from '../config/app-config';
import { API_SCOPES } from '../partners/api-scopes';
import { writeDemoIssuerFile } from './demo-issuer-file';
import { DevIssuer, type DevIssuerClient } from './dev-issuer';

export const DEMO_AUDIENCE = 'https://partner-api.example';
export const DEMO_SCOPES = [...API_SCOPES];

/** Printed first when the demo starts, and again above its instructions. */
export const DEMO_BANNER = [
  '',
  '='.repeat(78),
  'DEMO MODE: embedded authorization server, not for production.',
  'To protect the API with your own authorization server, set OAUTH_ISSUER, OAUTH_AUDIENCE and',
  'PARTNERS_FILE (README, "Quick start").',
  '='.repeat(78),
  '',
].join('\n');

/** Hosts under which a browser on this machine reaches an API listening on loopback or everywhere. */
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const LOCAL_OR_WILDCARD = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::', '']);

/** The demo's partners: both registered at the embedded issuer and in the partner registry. */
const DEMO_PARTNERS = [
  { clientId: 'partner-a', name: 'Acme Logistics' },
  { clientId: 'partner-b', name: 'Globex Retail' },
];

export interface Demo {
  readonly issuer: DevIssuer;
  readonly config: AppConfig;
  readonly clients: readonly DevIssuerClient[];
}

/**
 * Starts the embedded development authorization server (node-oidc-provider, client credentials,
 * RS256 JWT access tokens) on loopback, with two demo partners whose secrets are made per run.
 * The issuer keeps its signing keys and the clients the partners CLI registers under
 * DATA_DIR/issuer, and tells the CLI where it is in DATA_DIR/demo-issuer.json. Reads PORT, HOST,
 * DATA_DIR and DATABASE_URL: startupMode() refuses OAUTH_* variables in demo mode.
 */
export async function startDemo(env: NodeJS.ProcessEnv): Promise<Demo> {
  // Read before the issuer starts: a bad PORT must not leave it running.
  const port = portOf(env);
  const host = env['HOST'] || '127.0.0.1';
  const database = databaseSettings(env);
  const dataDir = path.resolve(dataDirOf(env));
  mkdirSync(path.join(dataDir, 'issuer'), { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const clients: DevIssuerClient[] = DEMO_PARTNERS.map((partner) => ({
    clientId: partner.clientId,
    clientSecret: randomBytes(18).toString('base64url'),
    scopes: DEMO_SCOPES,
  }));
  const issuerDir = path.join(dataDir, 'issuer');
  const options = {
    audience: DEMO_AUDIENCE,
    scopes: DEMO_SCOPES,
    clients,
    accessTokenTtlSeconds: 3600,
    dataDir: issuerDir,
    initialAccessToken: initialAccessToken(issuerDir),
  };
  // The same port as last time on this DATA_DIR: the token URL (and `iss`) partners were given
  // stays true across restarts. Another port when that one is taken.
  const previous = previousPort(issuerDir);
  const issuer = await DevIssuer.start({ ...options, port: previous }).catch((error: unknown) => {
    if (previous === 0) throw error;
    return DevIssuer.start(options);
  });
  writeFileSync(path.join(issuerDir, 'port'), String(issuer.port), { mode: 0o600 });
  if (issuer.registrationEndpoint) {
    writeDemoIssuerFile(dataDir, {
      issuer: issuer.issuer,
      tokenEndpoint: issuer.tokenEndpoint,
      registrationEndpoint: issuer.registrationEndpoint,
      initialAccessToken: initialAccessToken(path.join(dataDir, 'issuer')),
    });
  }
  return {
    issuer,
    clients,
    config: {
      port,
      host,
      issuer: issuer.issuer,
      audience: DEMO_AUDIENCE,
      partners: DEMO_PARTNERS,
      database,
      oauth: { keySet: { warmUp: true } },
    },
  };
}

function previousPort(issuerDir: string): number {
  try {
    const port = Number(readFileSync(path.join(issuerDir, 'port'), 'utf8'));
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : 0;
  } catch {
    return 0;
  }
}

/** The demo issuer's registration credential: made once per DATA_DIR, kept 0600. */
function initialAccessToken(issuerDir: string): string {
  const file = path.join(issuerDir, 'initial-access-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const token = randomBytes(24).toString('base64url');
    writeFileSync(file, token, { mode: 0o600 });
    return token;
  }
}

/**
 * The origins of the API's Swagger UI that the demo issuer answers token requests from: the host the
 * API listens on, or all of this machine's loopback names when that is loopback or a wildcard.
 */
export function demoApiOrigins(host: string, port: number): string[] {
  const hosts = LOCAL_OR_WILDCARD.has(host)
    ? LOCAL_HOSTS
    : [host.includes(':') ? `[${host}]` : host];
  return hosts.map((name) => new URL(`http://${name}:${port}`).origin);
}

/** The copy-paste lines the demo prints: get a token, then call the API with it. */
export function demoInstructions(demo: Demo, apiUrl: string): string {
  const [first] = demo.clients;
  if (!first) return '';
  const scopes = DEMO_SCOPES.join(' ');
  return [
    DEMO_BANNER,
    'Demo: an embedded authorization server is running (OAUTH_ISSUER is not set).',
    `  issuer:   ${demo.issuer.issuer}`,
    `  partners: ${demo.clients.map((client) => client.clientId).join(', ')}`,
    '',
    `Swagger UI: open ${apiUrl}/docs, click Authorize and enter`,
    `  client_id:     ${first.clientId}`,
    `  client_secret: ${first.clientSecret}`,
    '',
    `Or with curl. 1. Get an access token for ${first.clientId} (client credentials grant):`,
    '',
    `TOKEN=$(curl -s -X POST ${demo.issuer.tokenEndpoint} \\`,
    `  -d grant_type=client_credentials -d client_id=${first.clientId} \\`,
    `  -d client_secret=${first.clientSecret} -d 'scope=${scopes}' \\`,
    `  | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    '',
    '2. Call the API with it:',
    '',
    `curl -s -H "Authorization: Bearer $TOKEN" ${apiUrl}/users`,
    `curl -s -H "Authorization: Bearer $TOKEN" ${apiUrl}/partners/me`,
    `curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '{"name":"Ada Lovelace","email":"ada@example.com"}' ${apiUrl}/users`,
    '',
    '3. And without it (401 with a WWW-Authenticate challenge):',
    '',
    `curl -si ${apiUrl}/users`,
    '',
    'Manage partners from another terminal (README, "Partners"):',
    '',
    `npm run partners -- create --name Globex --scopes "list:users create:users"`,
    '',
  ].join('\n');
}
