import { parseArgs } from 'node:util';
import { isPartnerRateLimit, MAX_PARTNER_RATE_LIMIT, SCOPE_TOKEN } from '../config/app-config';
import type { OpenDatabase } from '../database/database';
import { API_SCOPES } from '../partners/api-scopes';
import type { PartnerRecord } from '../partners/partner.interface';
import { PartnerExistsError, type PartnersRepository } from '../partners/partners.repository';
import { SqlPartnersRepository } from '../partners/sql-partners.repository';
import { deleteClient, registerClient, type RegistrationSettings } from './client-registration';
import { openCliDatabase, registrationSettings } from './cli-context';

export const USAGE = `Usage: npm run partners -- <command> [--json]
  create --name <name> --scopes "<scope> ..." [--client-id <id>] [--rate-limit <n>]
  list | show <clientId> | suspend <clientId> | resume <clientId>
  grant <clientId> <scope>... | revoke <clientId> <scope>... | delete <clientId>
  limit <clientId> <n|default>   (its requests a minute; default: PARTNER_RATE_LIMIT)
Scopes: ${API_SCOPES.join(' ')}. Database: DATABASE_URL, or DATA_DIR (default ./data).`;

/** A refusal the CLI prints as its one-line reason (exit 1). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What a command hands back: lines for people, one value for `--json`. */
interface Outcome {
  readonly lines: string[];
  readonly json: unknown;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Runs one command; resolves the exit code (0 done, 1 refused, 2 usage). Never throws. */
export async function runPartnersCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let database: OpenDatabase | undefined;
  try {
    const { values, positionals } = parse(argv);
    const [command, ...args] = positionals;
    if (!command || !COMMANDS.has(command)) {
      throw new CliError(command ? `unknown command "${command}"\n${USAGE}` : USAGE, 2);
    }
    database = await openCliDatabase(env);
    const partners = new SqlPartnersRepository(database.db);
    const outcome = await run(command, args, values, partners, env);
    for (const line of outcome.lines) io.out(line);
    if (values.json) io.out(JSON.stringify(outcome.json));
    return 0;
  } catch (error) {
    const code = error instanceof CliError ? error.exitCode : 1;
    const message = error instanceof Error ? error.message : String(error);
    io.err(`partners: ${message}`);
    return code;
  } finally {
    await database?.close().catch(() => undefined);
  }
}

const COMMANDS = new Set([
  'create',
  'list',
  'show',
  'suspend',
  'resume',
  'grant',
  'revoke',
  'limit',
  'delete',
]);

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        scopes: { type: 'string' },
        'client-id': { type: 'string' },
        'rate-limit': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
}

type Values = ReturnType<typeof parse>['values'];

async function run(
  command: string,
  args: string[],
  values: Values,
  partners: PartnersRepository,
  env: NodeJS.ProcessEnv,
): Promise<Outcome> {
  switch (command) {
    case 'create':
      return create(values, partners, env);
    case 'list': {
      const all = await partners.list();
      return { lines: all.map(describe), json: all.map(view) };
    }
    case 'show': {
      const record = await existing(partners, one(args, command));
      return { lines: [describe(record)], json: view(record) };
    }
    case 'suspend':
    case 'resume': {
      const clientId = one(args, command);
      const status = command === 'suspend' ? 'suspended' : 'active';
      if (!(await partners.setStatus(clientId, status))) throw unknownPartner(clientId);
      return changed(partners, clientId);
    }
    case 'grant':
    case 'revoke': {
      const [clientId, ...given] = args;
      if (!clientId || given.length === 0) {
        throw new CliError(`${command} needs a client id and at least one scope`, 2);
      }
      const scopes = validScopes(given.join(' '));
      const current = (await existing(partners, clientId)).scopes ?? API_SCOPES;
      const next =
        command === 'grant'
          ? [...new Set([...current, ...scopes])]
          : current.filter((scope) => !scopes.includes(scope));
      await partners.setScopes(clientId, next);
      return changed(partners, clientId);
    }
    case 'limit': {
      const [clientId, given, ...rest] = args;
      if (!clientId || given === undefined || rest.length > 0) {
        throw new CliError(
          'limit needs a client id and a number of requests a minute, or default',
          2,
        );
      }
      const perMinute = given === 'default' ? null : rateLimit(given);
      if (!(await partners.setRateLimit(clientId, perMinute))) throw unknownPartner(clientId);
      return changed(partners, clientId);
    }
    default: {
      const clientId = one(args, command);
      const record = await existing(partners, clientId);
      if (record.registrationClientUri && record.registrationAccessToken) {
        await deleteClient(record.registrationClientUri, record.registrationAccessToken);
      }
      await partners.delete(clientId);
      return { lines: [`deleted ${clientId}`], json: { clientId, deleted: true } };
    }
  }
}

async function create(
  values: Values,
  partners: PartnersRepository,
  env: NodeJS.ProcessEnv,
): Promise<Outcome> {
  const name = values.name?.trim();
  if (!name) throw new CliError('create needs --name', 2);
  if (values.scopes === undefined) throw new CliError('create needs --scopes', 2);
  const scopes = validScopes(values.scopes);
  const given = values['rate-limit'];
  const rateLimitPerMinute = given === undefined ? null : rateLimit(given);
  const clientId = values['client-id']?.trim();
  if (clientId) {
    // An existing client of the authorization server: only recorded here.
    await insert(partners, { clientId, name, scopes, rateLimitPerMinute });
    return {
      lines: [`created ${clientId} (${name}); its client is managed at your authorization server`],
      json: {
        clientId,
        clientSecret: null,
        tokenUrl: null,
        issuer: null,
        scopes,
        rateLimitPerMinute,
      },
    };
  }
  const registration = registrationSettings(env);
  if (!registration) {
    throw new CliError(
      'no registration endpoint: start the demo (npm start), set OAUTH_REGISTRATION_ENDPOINT ' +
        'and OAUTH_INITIAL_ACCESS_TOKEN, or pass --client-id of an existing client',
    );
  }
  const client = await registerClient(registration, name, scopes);
  await insert(partners, {
    clientId: client.clientId,
    name,
    scopes,
    rateLimitPerMinute,
    registrationClientUri: client.registrationClientUri,
    registrationAccessToken: client.registrationAccessToken,
  });
  return {
    lines: instructions(registration, client.clientId, client.clientSecret, scopes),
    json: {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      tokenUrl: registration.tokenEndpoint,
      issuer: registration.issuer,
      scopes,
      rateLimitPerMinute,
    },
  };
}

async function insert(
  partners: PartnersRepository,
  record: Pick<PartnerRecord, 'clientId' | 'name' | 'scopes' | 'rateLimitPerMinute'> &
    Partial<PartnerRecord>,
): Promise<void> {
  try {
    await partners.create({
      registrationClientUri: null,
      registrationAccessToken: null,
      status: 'active',
      ...record,
    });
  } catch (error) {
    if (error instanceof PartnerExistsError) throw new CliError(error.message);
    throw error;
  }
}

function instructions(
  registration: RegistrationSettings,
  clientId: string,
  clientSecret: string,
  scopes: readonly string[],
): string[] {
  return [
    `created ${clientId}`,
    `  client_id:     ${clientId}`,
    `  client_secret: ${clientSecret}   (shown once: it is not stored here)`,
    `  token URL:     ${registration.tokenEndpoint}`,
    '',
    `TOKEN=$(curl -s -X POST ${registration.tokenEndpoint} -u '${clientId}:${clientSecret}' \\`,
    `  -d grant_type=client_credentials -d 'scope=${scopes.join(' ')}' \\`,
    `  | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
  ];
}

function validScopes(text: string): string[] {
  const scopes = [...new Set(text.split(/\s+/).filter((scope) => scope !== ''))];
  if (scopes.length === 0) throw new CliError('no scope given', 2);
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope) || !API_SCOPES.includes(scope)) {
      throw new CliError(`unknown scope "${scope}" (the API's: ${API_SCOPES.join(' ')})`);
    }
  }
  return scopes;
}

function rateLimit(text: string): number {
  const value = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!isPartnerRateLimit(value)) {
    throw new CliError(
      `the rate limit must be a whole number of requests a minute from 1 to ${MAX_PARTNER_RATE_LIMIT}, or default`,
      2,
    );
  }
  return value;
}

function one(args: string[], command: string): string {
  const [clientId, ...rest] = args;
  if (!clientId || rest.length > 0) throw new CliError(`${command} needs exactly one client id`, 2);
  return clientId;
}

async function existing(partners: PartnersRepository, clientId: string): Promise<PartnerRecord> {
  const record = await partners.find(clientId);
  if (!record) throw unknownPartner(clientId);
  return record;
}

async function changed(partners: PartnersRepository, clientId: string): Promise<Outcome> {
  const record = await existing(partners, clientId);
  return { lines: [describe(record)], json: view(record) };
}

function unknownPartner(clientId: string): CliError {
  return new CliError(`unknown partner "${clientId}"`);
}

/** What the CLI shows of a partner: never the registration access token. */
function view(record: PartnerRecord) {
  return {
    clientId: record.clientId,
    name: record.name,
    status: record.status,
    scopes: record.scopes,
    rateLimitPerMinute: record.rateLimitPerMinute,
    registeredHere: record.registrationClientUri !== null,
  };
}

function describe(record: PartnerRecord): string {
  const scopes = record.scopes ? record.scopes.join(' ') || '(none)' : '(all the token carries)';
  const limit = record.rateLimitPerMinute ?? 'default';
  return `${record.clientId}  ${record.status}  ${record.name}  scopes: ${scopes}  rate limit: ${limit}/min`;
}
