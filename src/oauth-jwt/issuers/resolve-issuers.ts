import { OAuthJwtConfigurationError } from '../errors/oauth-jwt-configuration.error';
import { httpUrl, nonEmptyStrings } from '../option-checks';
import { OPTIONS_TABLE } from '../oauth-jwt-options.table';
import {
  PROVIDER_PROFILES,
  SHARED_SECRET_ALGORITHMS,
  SUPPORTED_ALGORITHMS,
  type AudienceRule,
  type OAuthJwtModuleOptions,
  type ProviderProfile,
  type ResolvedIssuer,
  type TokenAlgorithm,
  type TrustedIssuerOptions,
} from '../oauth-jwt-options.interface';
import { PROFILE_RULES } from '../token/provider-profiles';

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output (256 bits for HS256). */
const MIN_SECRET_BYTES = 32;
const ENTRY_KEYS = new Set([
  'issuer',
  'audience',
  'jwksUri',
  'secret',
  'algorithms',
  'profile',
  'clientIdClaim',
  'scopeClaims',
  'audienceRule',
]);
const SINGLE_ISSUER_KEYS = ['issuer', 'audience', 'jwksUri', 'secret'] as const;

/**
 * The trusted issuers: `issuers`, or the single-issuer shorthand (`issuer`, `audience`,
 * `jwksUri`, `secret`) as a one-element list. Module-wide `algorithms`, `profile`,
 * `clientIdClaim`, `scopeClaims` and `audienceRule` are the defaults of each entry.
 */
export function resolveIssuers(options: OAuthJwtModuleOptions): readonly ResolvedIssuer[] {
  const defaults = {
    algorithms: options.algorithms,
    profile: options.profile,
    clientIdClaim: options.clientIdClaim,
    scopeClaims: options.scopeClaims,
    audienceRule: options.audienceRule,
  };
  if (options.issuers === undefined) {
    const { issuer, audience, jwksUri, secret } = options;
    return Object.freeze([
      resolveIssuer({ ...defaults, issuer, audience, jwksUri, secret } as TrustedIssuerOptions, ''),
    ]);
  }
  for (const name of SINGLE_ISSUER_KEYS) {
    if (options[name] !== undefined) {
      throw new OAuthJwtConfigurationError(name, 'cannot be combined with issuers');
    }
  }
  const list: unknown = options.issuers;
  if (!Array.isArray(list) || list.length === 0) {
    throw new OAuthJwtConfigurationError('issuers', 'must be a non-empty array');
  }
  const resolved = list.map((entry: unknown, index) => {
    const prefix = `issuers[${String(index)}].`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new OAuthJwtConfigurationError(`issuers[${String(index)}]`, 'must be an object');
    }
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) {
        throw new OAuthJwtConfigurationError(`${prefix}${key}`, 'is not a known option');
      }
    }
    return resolveIssuer({ ...defaults, ...definedOnly(entry) } as TrustedIssuerOptions, prefix);
  });
  const seen = new Set<string>();
  resolved.forEach((issuer, index) => {
    if (seen.has(issuer.issuer)) {
      throw new OAuthJwtConfigurationError(
        `issuers[${String(index)}].issuer`,
        'is listed twice (each issuer once, with all its audiences)',
      );
    }
    seen.add(issuer.issuer);
  });
  return Object.freeze(resolved);
}

function resolveIssuer(entry: TrustedIssuerOptions, prefix: string): ResolvedIssuer {
  const issuer = httpUrl(`${prefix}issuer`, entry.issuer, true);
  const audience = nonEmptyStrings(`${prefix}audience`, entry.audience, true);
  const jwksUri =
    entry.jwksUri === undefined ? undefined : httpUrl(`${prefix}jwksUri`, entry.jwksUri);
  const secret = resolveSecret(`${prefix}secret`, entry.secret, jwksUri);
  const profile = resolveProfile(`${prefix}profile`, entry.profile);
  const rules = PROFILE_RULES[profile];
  return Object.freeze({
    issuer,
    audience,
    jwksUri,
    secret,
    algorithms: resolveAlgorithms(`${prefix}algorithms`, entry.algorithms, secret !== undefined),
    profile,
    clientIdClaims:
      entry.clientIdClaim === undefined
        ? rules.clientIdClaims
        : nonEmptyStrings(`${prefix}clientIdClaim`, entry.clientIdClaim, true),
    scopeClaims:
      entry.scopeClaims === undefined
        ? rules.scopeClaims
        : nonEmptyStrings(`${prefix}scopeClaims`, entry.scopeClaims),
    audienceRule: resolveAudienceRule(`${prefix}audienceRule`, entry.audienceRule, rules),
  });
}

function resolveSecret(
  option: string,
  value: unknown,
  jwksUri: string | undefined,
): Buffer | undefined {
  if (value === undefined) return undefined;
  if (jwksUri !== undefined) {
    throw new OAuthJwtConfigurationError(
      option,
      'cannot be combined with jwksUri (an issuer has a JWKS or a shared secret, never both)',
    );
  }
  let bytes: Buffer;
  if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
  else if (Buffer.isBuffer(value)) bytes = Buffer.from(value);
  else throw new OAuthJwtConfigurationError(option, 'must be a string or a Buffer');
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new OAuthJwtConfigurationError(
      option,
      `must be at least ${String(MIN_SECRET_BYTES)} bytes (RFC 7518 §3.2)`,
    );
  }
  return bytes;
}

function resolveAlgorithms(
  option: string,
  value: unknown,
  symmetric: boolean,
): readonly TokenAlgorithm[] {
  const list = nonEmptyStrings(
    option,
    value ?? (symmetric ? ['HS256'] : OPTIONS_TABLE.algorithms.default),
  );
  for (const alg of list) {
    if (alg.toLowerCase() === 'none') {
      throw new OAuthJwtConfigurationError(option, '"none" is never allowed');
    }
    const hmac = (SHARED_SECRET_ALGORITHMS as readonly string[]).includes(alg);
    if (symmetric && !hmac) {
      throw new OAuthJwtConfigurationError(
        option,
        `${alg} cannot be verified with a shared secret (allowed: ${SHARED_SECRET_ALGORITHMS.join(', ')})`,
      );
    }
    if (!symmetric && /^HS/i.test(alg)) {
      throw new OAuthJwtConfigurationError(
        option,
        `${alg} is symmetric and cannot be verified with a JWKS`,
      );
    }
    if (!symmetric && !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new OAuthJwtConfigurationError(
        option,
        `${alg} is not supported (allowed: ${SUPPORTED_ALGORITHMS.join(', ')})`,
      );
    }
  }
  return list as readonly TokenAlgorithm[];
}

function resolveProfile(option: string, value: unknown): ProviderProfile {
  if (value === undefined) return OPTIONS_TABLE.profile.default;
  if (typeof value !== 'string' || !(PROVIDER_PROFILES as readonly string[]).includes(value)) {
    const allowed = PROVIDER_PROFILES.map((name) => `'${name}'`).join(', ');
    throw new OAuthJwtConfigurationError(option, `must be one of ${allowed}`);
  }
  return value as ProviderProfile;
}

function resolveAudienceRule(
  option: string,
  value: unknown,
  rules: { readonly audienceRule: AudienceRule },
): AudienceRule {
  if (value === undefined) return rules.audienceRule;
  if (value !== 'aud' && value !== 'scope-prefix') {
    throw new OAuthJwtConfigurationError(option, "must be 'aud' or 'scope-prefix'");
  }
  return value;
}

/** An entry's own settings, so an `undefined` in it does not hide the module-wide default. */
function definedOnly(entry: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}
