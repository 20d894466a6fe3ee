/** The RFC 6750 §3.1 error codes. A missing credential carries none. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface BearerErrorReasonSpec {
  readonly status: 400 | 401 | 403 | 503;
  readonly error?: BearerErrorCode;
  /** Fixed ASCII text: never built from token content or library messages. */
  readonly description: string;
}

/**
 * Every reason a request can be refused for, in one registry: the stable code, the HTTP status,
 * the RFC 6750 error code and the fixed description. README's error table mirrors this object
 * (a test keeps them in step).
 */
export const BEARER_ERROR_REASONS = {
  missing_token: { status: 401, description: 'Bearer access token required' },
  malformed_request: {
    status: 400,
    error: 'invalid_request',
    description: 'The Authorization header is malformed',
  },
  multiple_credentials: {
    status: 400,
    error: 'invalid_request',
    description: 'The request carries more than one credential',
  },
  token_in_query: {
    status: 400,
    error: 'invalid_request',
    description: 'Access tokens are not accepted in the query string',
  },
  token_in_body: {
    status: 400,
    error: 'invalid_request',
    description: 'Access tokens are not accepted in the request body',
  },
  malformed_token: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is malformed',
  },
  unsupported_algorithm: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is signed with an algorithm that is not allowed',
  },
  unsupported_header: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token header is not supported',
  },
  bad_token_type: {
    status: 401,
    error: 'invalid_token',
    description: 'The token is not an access token',
  },
  unknown_kid: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is signed with an unknown key',
  },
  bad_signature: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token signature is invalid',
  },
  expired: { status: 401, error: 'invalid_token', description: 'The access token expired' },
  not_yet_valid: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is not valid yet',
  },
  too_old: { status: 401, error: 'invalid_token', description: 'The access token is too old' },
  bad_issuer: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token was issued by another issuer',
  },
  bad_audience: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is meant for another audience',
  },
  bad_claim: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token has a missing or invalid claim',
  },
  not_client_token: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token was not issued to a client for itself',
  },
  invalid_token: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is invalid',
  },
  insufficient_scope: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The access token lacks a required scope',
  },
  claim_requirement: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The access token does not meet a claim requirement of this resource',
  },
  unknown_partner: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The client is not a registered partner',
  },
  partner_suspended: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The client is suspended',
  },
  unsupported_context: {
    status: 403,
    description: 'This transport cannot carry a bearer token',
  },
  key_set_unavailable: {
    status: 503,
    description: 'The signing keys are temporarily unavailable',
  },
  partner_unavailable: {
    status: 503,
    description: 'The partner registry is temporarily unavailable',
  },
} as const satisfies Record<string, BearerErrorReasonSpec>;

/** Stable machine-readable reason of a refusal. */
export type BearerErrorReason = keyof typeof BEARER_ERROR_REASONS;
