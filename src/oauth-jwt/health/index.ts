/**
 * Health of OAuthJwtModule for @nestjs/terminus (`nest-oauth-jwt/health`). A separate entry point:
 * apps without terminus never load it.
 */
export { OAuthJwtHealthIndicator, type OAuthJwtHealthDetails } from './oauth-jwt.health';
