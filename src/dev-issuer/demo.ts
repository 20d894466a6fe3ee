import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { portOf } from '../config/app-config';
import { DevIssuer, type DevIssuerClient } from './dev-issuer';

export const DEMO_AUDIENCE = 'https://partner-api.example';
export const DEMO_SCOPES = ['list:users', 'read:users', 'create:users', 'delete:users'];

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
 */
export async function startDemo(env: NodeJS.ProcessEnv): Promise<Demo> {
  const audience = env['OAUTH_AUDIENCE'] || DEMO_AUDIENCE;
  const clients: DevIssuerClient[] = DEMO_PARTNERS.map((partner) => ({
    clientId: partner.clientId,
    clientSecret: randomBytes(18).toString('base64url'),
    scopes: DEMO_SCOPES,
  }));
  const issuer = await DevIssuer.start({
    audience,
    scopes: DEMO_SCOPES,
    clients,
    accessTokenTtlSeconds: 3600,
  });
  return {
    issuer,
    clients,
    config: {
      port: portOf(env),
      host: env['HOST'] || '127.0.0.1',
      issuer: issuer.issuer,
      audience,
      partners: DEMO_PARTNERS,
      oauth: { keySet: { warmUp: true } },
    },
  };
}

/** The copy-paste lines the demo prints: get a token, then call the API with it. */
export function demoInstructions(demo: Demo, apiUrl: string): string {
  const [first] = demo.clients;
  if (!first) return '';
  const scopes = DEMO_SCOPES.join(' ');
  return [
    '',
    'Demo: an embedded authorization server is running (OAUTH_ISSUER is not set).',
    `  issuer:   ${demo.issuer.issuer}`,
    `  partners: ${demo.clients.map((client) => client.clientId).join(', ')}`,
    '',
    `1. Get an access token for ${first.clientId} (client credentials grant):`,
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
  ].join('\n');
}
