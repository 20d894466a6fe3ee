import * as publicApi from './index';

describe('the public barrel (nest-oauth-jwt)', () => {
  it('exports exactly the values an app needs', () => {
    expect(Object.keys(publicApi).sort()).toEqual([
      'AUTH_EVENT_NAMES',
      'BEARER_ERROR_REASONS',
      'BearerTokenException',
      'BearerTokenExceptionFilter',
      'Claims',
      'ClaimsGuard',
      'Client',
      'IS_PUBLIC_KEY',
      'JwtAuthGuard',
      'OAUTH_JWT_OPTIONS',
      'OAuthJwtConfigurationError',
      'OAuthJwtModule',
      'PROVIDER_PROFILES',
      'PartnerCache',
      'Public',
      'RequireAnyScope',
      'RequireClaim',
      'RequireScopes',
      'SHARED_SECRET_ALGORITHMS',
      'SUPPORTED_ALGORITHMS',
      'ScopesGuard',
      'getClient',
      'isBearerTokenException',
    ]);
  });

  it.each([
    'KeySet',
    'VerifiedTokenCache',
    'JwtStrategy',
    'PartnerResolver',
    'AuthEventsService',
    'resolveOAuthJwtOptions',
    'OAUTH_JWT_RESOLVED_OPTIONS',
    'OAUTH_JWT_STRATEGY',
    'REQUIRED_SCOPES_KEY',
    'ANY_SCOPES_KEY',
    'REQUIRED_CLAIMS_KEY',
  ])('does not export the internal %s', (name) => {
    expect(publicApi).not.toHaveProperty(name);
  });
});
