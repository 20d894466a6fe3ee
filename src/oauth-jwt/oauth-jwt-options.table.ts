/**
 * The one table of the module's options: name, type, default, bounds and description. Validation
 * and defaults (resolve-options.ts) read it; README's options table and the interface's `@default`
 * tags are kept equal to it by tests (options-table.spec.ts).
 */

interface RowBase {
  /** What README's "meaning" column says. */
  readonly description: string;
}

/** A number (an integer when `integer`), from `min` to `max`; `default` undefined means none. */
export interface NumberRow extends RowBase {
  readonly kind: 'number';
  readonly default: number | undefined;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

export interface BooleanRow extends RowBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface EnumRow extends RowBase {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}

/**
 * An option with a validator of its own in resolve-options.ts. `default` is its value when absent
 * (written in README as code); `shown` says what happens instead when there is no such value.
 */
export interface CustomRow extends RowBase {
  readonly kind: 'custom';
  readonly type: string;
  readonly default?: string | readonly string[];
  readonly shown?: string;
}

/** A group of nested options (`keySet`, `tokenCache`, `clientCache`): an object, `{}` by default. */
export interface GroupRow extends RowBase {
  readonly kind: 'group';
}

export type OptionRow = NumberRow | BooleanRow | EnumRow | CustomRow | GroupRow;

const int = (min: number, max: number, fallback: number | undefined, description: string) =>
  ({ kind: 'number', default: fallback, min, max, integer: true, description }) as const;
const num = (min: number, max: number, fallback: number | undefined, description: string) =>
  ({ kind: 'number', default: fallback, min, max, integer: false, description }) as const;
const bool = (fallback: boolean, description: string) =>
  ({ kind: 'boolean', default: fallback, description }) as const;
const custom = (type: string, shown: string, description: string) =>
  ({ kind: 'custom', type, shown, description }) as const;
const customWithDefault = <T extends string | readonly string[]>(
  type: string,
  fallback: T,
  description: string,
) => ({ kind: 'custom', type, default: fallback, description }) as const;
const group = (description: string) => ({ kind: 'group', description }) as const;

export const OPTIONS_TABLE = {
  issuer: custom(
    'string (URL)',
    'required',
    "the token's `iss` must equal it exactly (unless `issuers` is given)",
  ),
  audience: custom(
    'string or string[]',
    'required',
    "the token's `aud` (string or array) must contain one; never empty (unless `issuers` is given)",
  ),
  jwksUri: custom(
    'string (URL)',
    'discovered',
    "else `{issuer}/.well-known/openid-configuration`, then RFC 8414 `/.well-known/oauth-authorization-server`; the document's `issuer` must equal yours",
  ),
  algorithms: customWithDefault(
    'string[]',
    ['RS256'],
    "allow-list: RS256/384/512, PS256/384/512, ES256/384/512; HS256/384/512 only with `secret` (then `['HS256']` by default); `none` is refused at start-up",
  ),
  secret: custom(
    'string or Buffer',
    'none',
    'shared secret (HS256/384/512) instead of a JWKS: at least 32 bytes, never with `jwksUri`',
  ),
  issuers: custom(
    'object[]',
    'none',
    'several trusted issuers instead of `issuer`/`audience`/`jwksUri`/`secret`: each `{ issuer, audience, jwksUri?, secret?, algorithms?, profile?, clientIdClaim?, scopeClaims?, audienceRule? }`; the unverified `iss` only selects one',
  ),
  profile: {
    kind: 'enum',
    values: ['generic', 'auth0', 'okta', 'entra', 'keycloak', 'cognito'],
    default: 'generic',
    description:
      'the provider: where the client id, scopes and audience come from (see "Provider profiles")',
  },
  clientIdClaim: custom(
    'string or string[]',
    "the profile's",
    'claim(s) the client id is read from, the first present wins',
  ),
  audienceRule: custom(
    "`'aud'` or `'scope-prefix'`",
    "the profile's",
    "`'scope-prefix'`: the audience is the prefix of each scope (`<audience>/list:users` grants `list:users`)",
  ),
  clientCredentialsOnly: bool(
    true,
    "refuse a token whose `client_id`/`azp` (or the profile's like claim) names another party than its client id: 401 `not_client_token`",
  ),
  requireRfc9068: bool(
    false,
    'RFC 9068 strictly: `typ` must be `at+jwt`; `client_id`, `iat` and `jti` are required',
  ),
  clockToleranceSeconds: num(0, 300, 5, 'leeway for `exp`, `nbf`, `iat`'),
  maxTokenAgeSeconds: num(1, 31_536_000, undefined, 'refuse tokens whose `iat` is older'),
  realm: customWithDefault(
    'string',
    'api',
    'the `realm` of challenges; printable ASCII without `"` or `\\`',
  ),
  scopeClaims: custom(
    'string[]',
    "the profile's",
    'claims read for scopes, merged (`generic`: `scope`, `scp`, `permissions`)',
  ),
  tokenTypes: customWithDefault(
    'string[]',
    ['at+jwt', 'JWT'],
    'accepted `typ` headers, compared as media types (`application/` optional, any case); a token without `typ` is accepted',
  ),
  clientResolver: custom(
    'function or object',
    'none',
    'function or object with `resolve(clientId, claims)`; only a partner object admits, `undefined`/`null`/`false` → 403',
  ),
  // A timer's delay: an integer number of milliseconds.
  clientResolverTimeoutMs: int(
    1,
    60_000,
    5_000,
    'longest the resolver may take; past it, or when it throws, 503 `partner_unavailable` with `Retry-After: 5`',
  ),
  keySet: group('key-set (JWKS) tuning'),
  'keySet.cacheMaxAgeSeconds': num(
    1,
    86_400,
    600,
    'keys are refreshed (in the background) after this',
  ),
  'keySet.cooldownSeconds': num(0, 3_600, 30, 'at most one refetch for unknown `kid`s per window'),
  'keySet.staleMaxAgeSeconds': num(
    0,
    604_800,
    3_600,
    'last good keys keep serving this long while the JWKS endpoint fails (an outage; a JWKS fetched without them retires them at once)',
  ),
  // AbortSignal.timeout() throws for a fractional delay: an integer, or every fetch fails.
  'keySet.timeoutMs': int(1, 60_000, 5_000, 'total time of one JWKS or discovery fetch'),
  'keySet.maxResponseBytes': num(1_024, 16_777_216, 524_288, 'largest JWKS or discovery document'),
  'keySet.warmUp': bool(
    false,
    'fetch the keys while the application starts; if that fails, a warning names the cause (DNS, refused, timeout, HTTP status, bad document)',
  ),
  tokenCache: group('verified-token cache tuning'),
  'tokenCache.enabled': bool(true, 'the verified-token cache'),
  'tokenCache.maxEntries': int(1, 10_000_000, 10_000, 'LRU bound'),
  'tokenCache.maxBytes': int(
    65_536,
    4_294_967_296,
    33_554_432,
    'memory bound (32 MiB): each entry counts its token and its serialized claims',
  ),
  'tokenCache.maxTtlSeconds': num(
    1,
    86_400,
    300,
    'longest a verified token is kept (never past `exp`)',
  ),
  clientCache: group('partner-resolution cache tuning'),
  'clientCache.ttlSeconds': num(
    0,
    86_400,
    5,
    'how stale a partner verdict (suspension, granted scopes) may be; `0` switches the cache off; `PartnerCache.evict(clientId)` ends it at once',
  ),
  'clientCache.maxEntries': int(1, 10_000_000, 1_000, 'LRU bound'),
  'clientCache.keyBy': {
    kind: 'enum',
    values: ['claims', 'clientId'],
    default: 'claims',
    description:
      "a cached verdict serves only the same client id and claims; `'clientId'` when your resolver reads the id alone",
  },
  onAuthEvent: custom('function', 'none', 'called with every `authenticated` / `refused` event'),
  eventEmitter: custom(
    'object',
    'none',
    'anything with `emit(name, event)`, e.g. EventEmitter2: `oauth-jwt.authenticated`, `oauth-jwt.refused`',
  ),
  logRefusals: bool(
    true,
    "one log line per refusal through Nest's Logger (debug for `missing_token`, `expired`, `insufficient_scope`; warn otherwise)",
  ),
} as const satisfies Record<string, OptionRow>;

export type OptionName = keyof typeof OPTIONS_TABLE;
type NamesOf<K extends OptionRow['kind']> = {
  [N in OptionName]: (typeof OPTIONS_TABLE)[N]['kind'] extends K ? N : never;
}[OptionName];
export type NumberOptionName = NamesOf<'number'>;
export type BooleanOptionName = NamesOf<'boolean'>;
export type GroupOptionName = NamesOf<'group'>;

/** The row's type, default and bounds as README's options table writes them. */
export function describeOption(row: OptionRow): { type: string; shown: string; bounds: string } {
  switch (row.kind) {
    case 'number':
      return {
        type: row.integer ? 'integer' : 'number',
        shown: row.default === undefined ? 'none' : `\`${String(row.default)}\``,
        bounds: `${String(row.min)} to ${String(row.max)}`,
      };
    case 'boolean':
      return { type: 'boolean', shown: `\`${String(row.default)}\``, bounds: '—' };
    case 'enum':
      return {
        type: row.values.map((value) => `\`'${value}'\``).join(' or '),
        shown: `\`'${row.default}'\``,
        bounds: '—',
      };
    case 'custom':
      return { type: row.type, shown: row.shown ?? `\`${literal(row.default)}\``, bounds: '—' };
    case 'group':
      return { type: 'object', shown: '`{}`', bounds: '—' };
  }
}

/** A default as TypeScript would write it: `'api'`, `['RS256']`. */
function literal(value: string | readonly string[] | undefined): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  return `[${value.map((item) => `'${item}'`).join(', ')}]`;
}
