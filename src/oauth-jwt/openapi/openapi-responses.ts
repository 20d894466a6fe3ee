import type { ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { buildBearerChallenge } from '../errors/bearer-challenge';
import { BEARER_ERROR_REASONS, type BearerErrorReason } from '../errors/bearer-error-reasons';
import { BearerTokenException } from '../errors/bearer-token.exception';

/** Names under `components` that applyOAuthJwtOpenApi() adds. */
export const ERROR_SCHEMA = 'OAuthJwtError';
export const UNAUTHORIZED_RESPONSE = 'OAuthJwtUnauthorized';
export const KEYS_UNAVAILABLE_RESPONSE = 'OAuthJwtKeysUnavailable';

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' } as const;

/** Nest's error body, as BearerTokenExceptionFilter writes it. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 401 },
    error: { type: 'string', example: 'Unauthorized' },
    message: { type: 'string', example: BEARER_ERROR_REASONS.expired.description },
  },
};

const ERROR_SCHEMA_REF: ReferenceObject = { $ref: `#/components/schemas/${ERROR_SCHEMA}` };

/** What the challenges of the module carry besides the refusal: BearerTokenExceptionFilter's. */
export interface ChallengeSettings {
  readonly realm: string;
  /** RFC 9728 `resource_metadata`, when the module publishes metadata. */
  readonly resourceMetadataUrl: string | undefined;
}

/** 401: no token, or an invalid one; one example per refusal reason of the registry. */
export function unauthorizedResponse(settings: ChallengeSettings): ResponseObject {
  const reasons = reasonsWithStatus(401);
  const invalid = challenge(settings, 'invalid_token').replace(
    BEARER_ERROR_REASONS.invalid_token.description,
    '<reason>',
  );
  return {
    description: [
      'No valid access token.',
      '',
      `- Without one: \`WWW-Authenticate: ${challenge(settings, 'missing_token')}\``,
      `- With an invalid one: \`WWW-Authenticate: ${invalid}\`, the reason one of the examples ` +
        '(expired, not valid yet, another issuer or audience, bad signature, unknown key, ' +
        'malformed, ...)',
    ].join('\n'),
    headers: {
      'WWW-Authenticate': {
        description:
          settings.resourceMetadataUrl === undefined
            ? 'RFC 6750 §3 Bearer challenge'
            : 'RFC 6750 §3 Bearer challenge, with RFC 9728 §5.1 resource_metadata',
        schema: { type: 'string', example: challenge(settings, 'expired') },
      },
    },
    content: { 'application/json': { schema: ERROR_SCHEMA_REF, examples: examples(reasons) } },
  };
}

/** What can make a request to one operation answer 403. */
export interface ForbiddenCauses {
  /** Scopes named by the `scope` attribute when a scope is missing (empty: no scope required). */
  readonly scopes: readonly string[];
  /** Human-readable claim requirements (`tier = gold`, `tenant`). */
  readonly claims: readonly string[];
  /** A client resolver is configured: a client that is not a partner gets 403. */
  readonly partnerResolution: boolean;
}

/** 403 for one operation, or undefined when nothing on it can answer 403. */
export function forbiddenResponse(
  settings: ChallengeSettings,
  causes: ForbiddenCauses,
): ResponseObject | undefined {
  const reasons: BearerErrorReason[] = [];
  const lines: string[] = [];
  if (causes.scopes.length > 0) {
    reasons.push('insufficient_scope');
    lines.push(
      `- A required scope is missing: \`WWW-Authenticate: ${challenge(settings, 'insufficient_scope', causes.scopes)}\``,
    );
  }
  if (causes.claims.length > 0) {
    reasons.push('claim_requirement');
    lines.push(
      `- A claim requirement (${causes.claims.join('; ')}) is not met: ` +
        `\`WWW-Authenticate: ${challenge(settings, 'claim_requirement')}\``,
    );
  }
  if (causes.partnerResolution) {
    reasons.push('unknown_partner');
    lines.push(
      `- The client is not a registered partner: \`WWW-Authenticate: ${challenge(settings, 'unknown_partner')}\``,
    );
  }
  const [first] = reasons;
  if (first === undefined) return undefined;
  return {
    description: ['The access token is valid but not allowed here.', '', ...lines].join('\n'),
    headers: {
      'WWW-Authenticate': {
        description: 'RFC 6750 §3 Bearer challenge (error="insufficient_scope")',
        schema: { type: 'string', example: challenge(settings, first, causes.scopes) },
      },
    },
    content: { 'application/json': { schema: ERROR_SCHEMA_REF, examples: examples(reasons) } },
  };
}

/** 503: no usable signing key, or the partner registry is down; `Retry-After`, no challenge. */
export function keysUnavailableResponse(partnerResolution: boolean): ResponseObject {
  const reasons: BearerErrorReason[] = ['key_set_unavailable'];
  if (partnerResolution) reasons.push('partner_unavailable');
  return {
    description:
      "The signing keys are temporarily unavailable (the issuer's JWKS cannot be fetched and no " +
      'cached key is left)' +
      (partnerResolution ? ', or the partner registry does not answer' : '') +
      '. No `WWW-Authenticate`: the token was not judged. `Retry-After` gives the seconds to wait.',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying',
        schema: { type: 'integer', minimum: 1, example: 5 },
      },
    },
    content: {
      'application/json': { schema: ERROR_SCHEMA_REF, examples: examples(reasons) },
    },
  };
}

function reasonsWithStatus(status: 401 | 403 | 503): BearerErrorReason[] {
  return (Object.keys(BEARER_ERROR_REASONS) as BearerErrorReason[]).filter(
    (reason) => BEARER_ERROR_REASONS[reason].status === status,
  );
}

function examples(
  reasons: readonly BearerErrorReason[],
): Record<string, { summary: string; value: object }> {
  return Object.fromEntries(
    reasons.map((reason) => {
      const spec = BEARER_ERROR_REASONS[reason];
      const status = spec.status as keyof typeof STATUS_TEXT;
      return [
        reason,
        {
          summary: spec.description,
          value: { statusCode: status, error: STATUS_TEXT[status], message: spec.description },
        },
      ];
    }),
  );
}

/** The challenge BearerTokenExceptionFilter writes for `reason`. */
function challenge(
  { realm, resourceMetadataUrl }: ChallengeSettings,
  reason: BearerErrorReason,
  scopes: readonly string[] = [],
): string {
  const exception = new BearerTokenException(reason, { requiredScopes: scopes });
  return buildBearerChallenge(exception, realm, resourceMetadataUrl) ?? '';
}
