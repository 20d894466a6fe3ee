// Development-only OAuth 2.0 authorization server built on node-oidc-provider.
//
// It only supports the client credentials grant and issues RS256-signed JWT
// access tokens for a single audience. It runs as a child process (oidc-provider
// is ESM-only, so Jest cannot load it in-process) and talks to its parent via:
//   - stdout: newline-delimited JSON event lines ONLY ({"event":"ready",...});
//   - stdin:  newline-delimited JSON commands ({"cmd":"rotate"}, ...);
//             {"cmd":"allow-origins","origins":[...]} sets the browser origins (a Swagger UI's)
//             whose cross-origin token requests are answered; none by default;
//   - stderr: human-readable logs (never tokens or secrets).
// Configuration arrives as JSON in the ISSUER_CONFIG environment variable.
// With `dataDir`, the signing keys and the clients registered through RFC 7591 dynamic
// registration (enabled by `initialAccessToken`) persist there, so a restart keeps them.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';

const LOOPBACK_HOST = '127.0.0.1';
const DEFAULT_TTL_SECONDS = 300;
const SHUTDOWN_GRACE_MS = 1000;
// RFC 6749 scope-token: %x21 / %x23-5B / %x5D-7E (no spaces, quotes or backslashes).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// oidc-provider prints these on every start; they are expected for a dev issuer.
const EXPECTED_PROVIDER_NOTICES = ['development-only in-memory adapter', 'Unsupported runtime'];

const generateKeyPair = promisify(crypto.generateKeyPair);

class ConfigError extends Error {}

// ---------------------------------------------------------------------------
// stdio protocol
// ---------------------------------------------------------------------------

/** Writes one protocol event line to stdout (the only thing that goes there). */
function emitEvent(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function logError(message) {
  process.stderr.write(`dev-issuer: ${message}\n`);
}

/**
 * Keeps stdout reserved for event lines: oidc-provider uses console.info for
 * notices, which would otherwise corrupt the protocol. Expected dev-only
 * warnings are dropped unless DEV_ISSUER_VERBOSE=1.
 */
function routeConsoleToStderr() {
  const verbose = process.env.DEV_ISSUER_VERBOSE === '1';
  const toStderr = (...args) => {
    const text = args.map(String).join(' ');
    const expected = EXPECTED_PROVIDER_NOTICES.some((notice) => text.includes(notice));
    if (verbose || !expected) {
      process.stderr.write(`${text}\n`);
    }
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireNonEmptyString(value, label) {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${label} must be a non-empty string`);
  }
  return value;
}

function requireScopeList(value, label) {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${label} must be a non-empty array of scope strings`);
  }
  for (const scope of value) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new ConfigError(`${label} contains an invalid scope: ${JSON.stringify(scope)}`);
    }
  }
  return [...new Set(value)];
}

function requireAudience(value) {
  const audience = requireNonEmptyString(value, 'audience');
  // The audience doubles as the RFC 8707 resource indicator: absolute URI, no fragment.
  const url = URL.parse(audience);
  if (!url || url.hash || audience.includes('#')) {
    throw new ConfigError('audience must be an absolute URI without a fragment');
  }
  return audience;
}

function requireIntegerInRange(value, label, min, max) {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${label} must be an integer between ${min} and ${max}`);
  }
  return value;
}

function parseClient(raw, index, allScopes) {
  const label = `clients[${index}]`;
  if (!isPlainObject(raw)) {
    throw new ConfigError(`${label} must be an object`);
  }
  const clientId = requireNonEmptyString(raw.clientId, `${label}.clientId`);
  const clientSecret = requireNonEmptyString(raw.clientSecret, `${label}.clientSecret`);
  // Must be non-empty: oidc-provider treats a client without `scope` metadata
  // as allowed to request every scope.
  const scopes = requireScopeList(raw.scopes, `${label}.scopes`);
  const unknown = scopes.filter((scope) => !allScopes.includes(scope));
  if (unknown.length > 0) {
    throw new ConfigError(`${label}.scopes are not in the top-level scopes: ${unknown.join(', ')}`);
  }
  if (raw.extraClaims !== undefined && !isPlainObject(raw.extraClaims)) {
    throw new ConfigError(`${label}.extraClaims must be an object when provided`);
  }
  return { clientId, clientSecret, scopes, extraClaims: raw.extraClaims };
}

function parseClients(value, allScopes) {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError('clients must be a non-empty array');
  }
  const clients = value.map((raw, index) => parseClient(raw, index, allScopes));
  const ids = new Set();
  for (const { clientId } of clients) {
    if (ids.has(clientId)) {
      throw new ConfigError(`duplicate clientId: ${clientId}`);
    }
    ids.add(clientId);
  }
  return clients;
}

function parseConfig(json) {
  if (!json) {
    throw new ConfigError('the ISSUER_CONFIG environment variable is not set');
  }
  let raw;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('ISSUER_CONFIG is not valid JSON');
  }
  if (!isPlainObject(raw)) {
    throw new ConfigError('ISSUER_CONFIG must be a JSON object');
  }
  if (raw.host !== undefined && raw.host !== LOOPBACK_HOST) {
    throw new ConfigError(
      `host must be ${LOOPBACK_HOST} (the dev issuer only listens on loopback)`,
    );
  }
  const scopes = requireScopeList(raw.scopes, 'scopes');
  if (raw.dataDir !== undefined) requireNonEmptyString(raw.dataDir, 'dataDir');
  if (raw.initialAccessToken !== undefined) {
    requireNonEmptyString(raw.initialAccessToken, 'initialAccessToken');
  }
  return {
    dataDir: raw.dataDir,
    initialAccessToken: raw.initialAccessToken,
    audience: requireAudience(raw.audience),
    scopes,
    clients: parseClients(raw.clients, scopes),
    accessTokenTtlSeconds: requireIntegerInRange(
      raw.accessTokenTtlSeconds ?? DEFAULT_TTL_SECONDS,
      'accessTokenTtlSeconds',
      1,
      86400,
    ),
    port: requireIntegerInRange(raw.port ?? 0, 'port', 0, 65535),
  };
}

/** Exact http(s) origins only: no wildcard, no path, no `null`. */
function parseOrigins(value) {
  if (!Array.isArray(value)) {
    throw new ConfigError('origins must be an array of origins');
  }
  for (const origin of value) {
    const url = typeof origin === 'string' ? URL.parse(origin) : null;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new ConfigError(`not an http(s) origin: ${JSON.stringify(origin)}`);
    }
  }
  return value;
}

// ---------------------------------------------------------------------------
// signing keys
// ---------------------------------------------------------------------------

/** RFC 7638 JWK thumbprint, used as a stable, collision-free kid. */
function thumbprint({ e, kty, n }) {
  return crypto.createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

/** Generates a fresh RSA 2048 private JWK in memory (never written to disk). */
async function generateSigningKey() {
  const { privateKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: thumbprint(jwk), alg: 'RS256', use: 'sig' };
}

/** Writes a private file atomically (mode 0600). */
function writePrivateFile(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

function readJsonFile(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error?.code === 'ENOENT') return fallback;
    throw error;
  }
}

/** The published keys, newest first, from `dataDir` when persisted (else a fresh key). */
async function loadSigningKeys(dataDir) {
  const stored = dataDir ? readJsonFile(path.join(dataDir, 'jwks.json'), undefined) : undefined;
  if (Array.isArray(stored?.keys) && stored.keys.length > 0) return stored.keys;
  return [await generateSigningKey()];
}

function saveSigningKeys(dataDir, keys) {
  if (dataDir) writePrivateFile(path.join(dataDir, 'jwks.json'), JSON.stringify({ keys }));
}

/** Models kept across restarts: registered clients and what manages them. */
const PERSISTED_MODELS = new Set(['Client', 'RegistrationAccessToken', 'InitialAccessToken']);

/**
 * oidc-provider's storage: the persisted models in one JSON file each under `dataDir`, the others
 * (short-lived grants) in memory. Small and synchronous: a development issuer's few clients.
 */
function fileAdapter(dataDir) {
  const memory = new Map();
  return class FileAdapter {
    constructor(name) {
      this.name = name;
      this.file =
        dataDir && PERSISTED_MODELS.has(name) ? path.join(dataDir, `${name}.json`) : undefined;
    }

    read() {
      if (!this.file) {
        if (!memory.has(this.name)) memory.set(this.name, {});
        return memory.get(this.name);
      }
      return readJsonFile(this.file, {});
    }

    write(entries) {
      if (this.file) writePrivateFile(this.file, JSON.stringify(entries));
      else memory.set(this.name, entries);
    }

    async upsert(id, payload, expiresIn) {
      const entries = this.read();
      entries[id] = { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined };
      this.write(entries);
    }

    async find(id) {
      const entry = this.read()[id];
      if (!entry || (entry.expiresAt !== undefined && entry.expiresAt < Date.now()))
        return undefined;
      return entry.payload;
    }

    async findByUserCode(userCode) {
      return Object.values(this.read()).find((entry) => entry.payload.userCode === userCode)
        ?.payload;
    }

    async findByUid(uid) {
      return Object.values(this.read()).find((entry) => entry.payload.uid === uid)?.payload;
    }

    async consume(id) {
      const entries = this.read();
      if (entries[id]) entries[id].payload.consumed = Math.floor(Date.now() / 1000);
      this.write(entries);
    }

    async destroy(id) {
      this.keep(([key]) => key !== id);
    }

    async revokeByGrantId(grantId) {
      this.keep(([, entry]) => entry.payload.grantId !== grantId);
    }

    keep(predicate) {
      this.write(Object.fromEntries(Object.entries(this.read()).filter(predicate)));
    }
  };
}

// ---------------------------------------------------------------------------
// oidc-provider
// ---------------------------------------------------------------------------

function toClientMetadata(client) {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    // oidc-provider rejects requests for configured scopes outside this list (invalid_scope).
    scope: client.scopes.join(' '),
  };
}

/**
 * Builds the oidc-provider configuration. `signingKid` pins which key of the
 * JWKS signs access tokens, so after a rotation the new key is used while the
 * old one is still published for verification.
 */
function buildProviderConfig(config, keys, signingKid, isAllowedOrigin) {
  const { audience, accessTokenTtlSeconds } = config;
  const extraClaimsByClient = new Map(
    config.clients.map((client) => [client.clientId, client.extraClaims]),
  );
  const resourceServerInfo = {
    scope: config.scopes.join(' '),
    audience,
    accessTokenFormat: 'jwt',
    accessTokenTTL: accessTokenTtlSeconds,
    jwt: { sign: { alg: 'RS256', kid: signingKid } },
  };

  return {
    adapter: fileAdapter(config.dataDir),
    clients: config.clients.map(toClientMetadata),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    jwks: { keys },
    scopes: config.scopes,
    responseTypes: [],
    ttl: { ClientCredentials: accessTokenTtlSeconds },
    // The token endpoint answers a browser (Swagger UI's Authorize) only from the allowed origins;
    // oidc-provider's default refuses every origin for confidential clients.
    clientBasedCORS(_ctx, origin) {
      return isAllowedOrigin(origin);
    },
    // Lets clients emulate provider-specific claims such as Azure AD `scp` or Auth0 `permissions`.
    async extraTokenClaims(_ctx, token) {
      const extra = extraClaimsByClient.get(token.clientId);
      return extra === undefined ? undefined : structuredClone(extra);
    },
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A token request without `resource` still targets the configured API,
        // which is what makes oidc-provider issue a JWT instead of an opaque token.
        async defaultResource(_ctx, _client, oneOf) {
          return oneOf ?? audience;
        },
        async getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== audience) {
            throw new InvalidTarget();
          }
          return structuredClone(resourceServerInfo);
        },
      },
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      // RFC 7591 registration for holders of the initial access token (the partners CLI), and
      // RFC 7592 management (delete) with the registration access token it returns.
      registration: config.initialAccessToken
        ? {
            enabled: true,
            initialAccessToken: config.initialAccessToken,
            issueRegistrationAccessToken: true,
          }
        : { enabled: false },
      registrationManagement: {
        enabled: Boolean(config.initialAccessToken),
        rotateRegistrationAccessToken: false,
      },
    },
  };
}

function createProvider(issuer, config, keys, signingKid, isAllowedOrigin) {
  const provider = new Provider(
    issuer,
    buildProviderConfig(config, keys, signingKid, isAllowedOrigin),
  );
  provider.on('server_error', (_ctx, error) => {
    logError(`oidc-provider server_error: ${error?.message ?? String(error)}`);
  });
  return provider;
}

// ---------------------------------------------------------------------------
// server and key lifecycle
// ---------------------------------------------------------------------------

/** Holds the mutable server state: signing keys and the active request handler. */
class IssuerState {
  constructor(config, issuer) {
    this.config = config;
    this.issuer = issuer;
    /** Published keys, newest first; keys[0] signs new tokens. */
    this.keys = [];
    this.provider = undefined;
    this.handler = undefined;
    /** Browser origins allowed to call the token endpoint (exact `scheme://host:port`). */
    this.corsOrigins = new Set();
  }

  get currentKid() {
    return this.keys[0].kid;
  }

  /** Rebuilds the provider for the current key list and swaps the request handler. */
  activate(keys) {
    const provider = createProvider(this.issuer, this.config, keys, keys[0].kid, (origin) =>
      this.corsOrigins.has(origin),
    );
    this.keys = keys;
    saveSigningKeys(this.config.dataDir, keys);
    this.provider = provider;
    this.handler = provider.callback();
  }

  async rotate() {
    const key = await generateSigningKey();
    this.activate([key, ...this.keys]);
    return { event: 'rotated', kid: this.currentKid };
  }

  retireOldKeys() {
    this.activate([this.keys[0]]);
    return { event: 'retired', kid: this.currentKid };
  }

  allowOrigins(origins) {
    this.corsOrigins = new Set(parseOrigins(origins));
    return { event: 'origins-allowed', origins: [...this.corsOrigins] };
  }
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

let shuttingDown = false;

/** Closes the server (dropping keep-alive sockets) and exits 0 promptly. */
function shutdown(server) {
  if (shuttingDown) return;
  shuttingDown = true;
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}

async function runCommand(state, line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    return { event: 'error', message: 'command is not valid JSON' };
  }
  switch (command?.cmd) {
    case 'rotate':
      return state.rotate();
    case 'retire-old-keys':
      return state.retireOldKeys();
    case 'allow-origins':
      return state.allowOrigins(command.origins);
    default:
      return {
        event: 'error',
        message: `unknown command: ${JSON.stringify(command?.cmd)}`,
      };
  }
}

/** Processes stdin commands strictly in order (rotation is async) and exits on EOF. */
function listenForCommands(state, server) {
  const lines = readline.createInterface({
    input: process.stdin,
    crlfDelay: Infinity,
  });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue
      .then(() => runCommand(state, line))
      .catch((error) => ({
        event: 'error',
        message: error?.message ?? String(error),
      }))
      .then(emitEvent);
  });
  lines.on('close', () => {
    queue.finally(() => shutdown(server));
  });
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

routeConsoleToStderr();
// Imported after the console is redirected: oidc-provider may warn at import time.
const { default: Provider, errors } = await import('oidc-provider');
const { InvalidTarget } = errors;

async function main() {
  let config;
  try {
    config = parseConfig(process.env.ISSUER_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) {
      logError(`invalid ISSUER_CONFIG: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  // The handler is resolved per request so that key rotation can swap providers.
  let state;
  const server = http.createServer((req, res) => {
    if (state?.handler) {
      state.handler(req, res);
    } else {
      res.writeHead(503).end();
    }
  });
  process.once('SIGTERM', () => shutdown(server));
  process.once('SIGINT', () => shutdown(server));

  // Listen first: the issuer URL (and thus the provider) depends on the actual port.
  const port = await listen(server, config.port);
  state = new IssuerState(config, `http://${LOOPBACK_HOST}:${port}`);
  if (config.dataDir) fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  state.activate(await loadSigningKeys(config.dataDir));
  listenForCommands(state, server);

  emitEvent({
    event: 'ready',
    issuer: state.issuer,
    port,
    tokenEndpoint: state.provider.urlFor('token'),
    jwksUri: state.provider.urlFor('jwks'),
    ...(config.initialAccessToken
      ? { registrationEndpoint: state.provider.urlFor('registration') }
      : {}),
    kid: state.currentKid,
  });
}

main().catch((error) => {
  logError(`failed to start: ${error?.stack ?? String(error)}`);
  process.exit(1);
});
