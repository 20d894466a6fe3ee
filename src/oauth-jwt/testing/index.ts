/**
 * The test kit (`nest-oauth-jwt/testing`): an in-process issuer minting tokens the real guards
 * verify, hostile tokens for negative tests, supertest helpers, and an override that points a real
 * AppModule at the test issuer. For tests only.
 */
export { createTestIssuer, TestIssuer, type TestJwk } from './test-issuer';
export type { TestIssuerOptions, TestTokenOptions } from './test-issuer-options.interface';
export { HostileTokens } from './hostile-tokens';
export { asPartner, withBearer, type HeaderSetter } from './as-partner';
export type { JsonObject } from './jws';
export { overrideOAuthJwtOptions, type ProviderOverrides } from './override-oauth-jwt-options';
