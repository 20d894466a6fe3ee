/**
 * OpenAPI for apps protected by OAuthJwtModule (`nest-oauth-jwt/openapi`). Type-only use of
 * @nestjs/swagger: nothing here loads it.
 */
export { applyOAuthJwtOpenApi } from './apply-oauth-jwt-openapi';
export type { OAuthJwtOpenApiOptions } from './oauth-jwt-openapi-options.interface';
