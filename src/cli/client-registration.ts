/**
 * RFC 7591 dynamic client registration and RFC 7592 deletion at the authorization server, for the
 * partners CLI. Errors carry the server's `error` code, never a credential.
 */

/** Where and how to register clients. */
export interface RegistrationSettings {
  readonly registrationEndpoint: string;
  readonly initialAccessToken: string;
  /** For the printed instructions: where the partner gets its tokens. */
  readonly tokenEndpoint: string;
  readonly issuer: string;
}

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly registrationClientUri: string | null;
  readonly registrationAccessToken: string | null;
}

const TIMEOUT_MS = 10_000;

/** Registers a confidential client-credentials client limited to `scopes`. */
export async function registerClient(
  settings: RegistrationSettings,
  name: string,
  scopes: readonly string[],
): Promise<RegisteredClient> {
  const response = await fetch(settings.registrationEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${settings.initialAccessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({
      client_name: name,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const { client_id: clientId, client_secret: clientSecret } = body;
  if (response.status !== 201 || typeof clientId !== 'string' || typeof clientSecret !== 'string') {
    throw new Error(
      `the authorization server refused the registration (${refusal(response, body)})`,
    );
  }
  return {
    clientId,
    clientSecret,
    registrationClientUri: stringOrNull(body['registration_client_uri']),
    registrationAccessToken: stringOrNull(body['registration_access_token']),
  };
}

/** RFC 7592 §2.3: deletes the client at the authorization server. A client already gone is fine. */
export async function deleteClient(uri: string, registrationAccessToken: string): Promise<void> {
  const response = await fetch(uri, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${registrationAccessToken}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (response.status === 204 || response.status === 404) return;
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  throw new Error(`the authorization server refused the deletion (${refusal(response, body)})`);
}

function refusal(response: Response, body: Record<string, unknown>): string {
  const error = typeof body['error'] === 'string' ? body['error'] : 'no error code';
  const description =
    typeof body['error_description'] === 'string' ? `: ${body['error_description']}` : '';
  return `HTTP ${response.status} ${error}${description}`;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
