import { BEARER_ERROR_REASONS, type BearerErrorReason } from './bearer-error-reasons';
import { buildBearerChallenge } from './bearer-challenge';
import { BearerTokenException } from './bearer-token.exception';

/** The exact WWW-Authenticate value for every reason, realm "api", no scopes. */
const EXPECTED: Record<BearerErrorReason, string | undefined> = {
  missing_token: 'Bearer realm="api"',
  malformed_request:
    'Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"',
  multiple_credentials:
    'Bearer realm="api", error="invalid_request", error_description="The request carries more than one credential"',
  token_in_query:
    'Bearer realm="api", error="invalid_request", error_description="Access tokens are not accepted in the query string"',
  token_in_body:
    'Bearer realm="api", error="invalid_request", error_description="Access tokens are not accepted in the request body"',
  malformed_token:
    'Bearer realm="api", error="invalid_token", error_description="The access token is malformed"',
  unsupported_algorithm:
    'Bearer realm="api", error="invalid_token", error_description="The access token is signed with an algorithm that is not allowed"',
  unsupported_header:
    'Bearer realm="api", error="invalid_token", error_description="The access token header is not supported"',
  bad_token_type:
    'Bearer realm="api", error="invalid_token", error_description="The token is not an access token"',
  unknown_kid:
    'Bearer realm="api", error="invalid_token", error_description="The access token is signed with an unknown key"',
  bad_signature:
    'Bearer realm="api", error="invalid_token", error_description="The access token signature is invalid"',
  expired:
    'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
  not_yet_valid:
    'Bearer realm="api", error="invalid_token", error_description="The access token is not valid yet"',
  too_old:
    'Bearer realm="api", error="invalid_token", error_description="The access token is too old"',
  bad_issuer:
    'Bearer realm="api", error="invalid_token", error_description="The access token was issued by another issuer"',
  bad_audience:
    'Bearer realm="api", error="invalid_token", error_description="The access token is meant for another audience"',
  bad_claim:
    'Bearer realm="api", error="invalid_token", error_description="The access token has a missing or invalid claim"',
  not_client_token:
    'Bearer realm="api", error="invalid_token", error_description="The access token was not issued to a client for itself"',
  invalid_token:
    'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"',
  insufficient_scope:
    'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope"',
  claim_requirement:
    'Bearer realm="api", error="insufficient_scope", error_description="The access token does not meet a claim requirement of this resource"',
  unknown_partner:
    'Bearer realm="api", error="insufficient_scope", error_description="The client is not a registered partner"',
  partner_suspended:
    'Bearer realm="api", error="insufficient_scope", error_description="The client is suspended"',
  unsupported_context: 'Bearer realm="api"',
  key_set_unavailable: undefined,
  partner_unavailable: undefined,
};

describe('buildBearerChallenge', () => {
  it('has an expected challenge for every reason in the registry', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(BEARER_ERROR_REASONS).sort());
  });

  it.each(Object.entries(EXPECTED))('writes the exact challenge for %s', (reason, expected) => {
    const exception = new BearerTokenException(reason as BearerErrorReason);
    expect(buildBearerChallenge(exception, 'api')).toBe(expected);
  });

  it('names the required scopes of an insufficient_scope refusal', () => {
    const exception = new BearerTokenException('insufficient_scope', {
      requiredScopes: ['read:users', 'delete:users'],
    });
    expect(buildBearerChallenge(exception, 'partner api')).toBe(
      'Bearer realm="partner api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="read:users delete:users"',
    );
  });

  it('leaves the scope attribute out of an insufficient_scope refusal without scopes', () => {
    const exception = new BearerTokenException('insufficient_scope', { requiredScopes: [] });
    expect(buildBearerChallenge(exception, 'api')).not.toContain('scope=');
  });

  it('names no scope on a refusal that is not insufficient_scope', () => {
    const exception = new BearerTokenException('expired', { requiredScopes: ['read:users'] });
    expect(buildBearerChallenge(exception, 'api')).toBe(EXPECTED.expired);
  });

  it('writes no challenge for 503 key_set_unavailable, even with Retry-After', () => {
    const exception = new BearerTokenException('key_set_unavailable', { retryAfterSeconds: 5 });
    expect(buildBearerChallenge(exception, 'api')).toBeUndefined();
  });

  it('uses the configured realm', () => {
    expect(buildBearerChallenge(new BearerTokenException('missing_token'), '')).toBe(
      'Bearer realm=""',
    );
  });
});
