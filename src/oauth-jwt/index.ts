// The public API of nest-oauth-jwt. Internals (key set, caches, strategy, option resolution) stay
// out: the test kit, the subpaths and this project's own tests import them by path.
export { OAuthJwtModule } from './oauth-jwt.module';
export { OAUTH_JWT_OPTIONS, type OAuthJwtModuleExtras } from './oauth-jwt.module-definition';
export { IS_PUBLIC_KEY } from './oauth-jwt.constants';
export {
  SUPPORTED_ALGORITHMS,
  type SupportedAlgorithm,
  type OAuthJwtModuleOptions,
  type KeySetOptions,
  type TokenCacheOptions,
  type ClientCacheOptions,
  type ClientCacheKey,
  SHARED_SECRET_ALGORITHMS,
  PROVIDER_PROFILES,
  type SharedSecretAlgorithm,
  type TokenAlgorithm,
  type ProviderProfile,
  type AudienceRule,
  type TrustedIssuerOptions,
} from './oauth-jwt-options.interface';
export type {
  ClientResolver,
  ClientResolveFn,
  ClientResolution,
} from './client-resolver.interface';
export type { PartnerEntitlements } from './partner/partner-entitlements.interface';
export { PartnerCache } from './partner/partner-cache';
export type { OAuthPrincipal, JwtClaims } from './principal.interface';
export { JwtAuthGuard } from './guards/jwt-auth.guard';
export { ScopesGuard } from './guards/scopes.guard';
export { ClaimsGuard } from './guards/claims.guard';
export { Public } from './decorators/public.decorator';
export { RequireScopes, RequireAnyScope } from './decorators/require-scopes.decorator';
export { RequireClaim, type ClaimRequirement } from './decorators/require-claim.decorator';
export { Client, getClient } from './decorators/client.decorator';
export { Claims } from './decorators/claims.decorator';
export { BearerTokenException, isBearerTokenException } from './errors/bearer-token.exception';
export {
  BEARER_ERROR_REASONS,
  type BearerErrorCode,
  type BearerErrorReason,
  type BearerErrorReasonSpec,
} from './errors/bearer-error-reasons';
export { BearerTokenExceptionFilter } from './bearer-token-exception.filter';
export { OAuthJwtConfigurationError } from './errors/oauth-jwt-configuration.error';
export {
  AUTH_EVENT_NAMES,
  type AuthEvent,
  type AuthenticatedEvent,
  type RefusedEvent,
  type AuthEventEmitter,
} from './events/auth-event.interface';
