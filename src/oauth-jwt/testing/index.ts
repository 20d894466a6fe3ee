/**
 * The test kit (`nest-oauth-jwt/testing`): an in-process issuer minting tokens the real guards
 * verify, hostile tokens for negative tests, JWS forging by hand, supertest helpers, and an
 * override that points a real AppModule at the test issuer. For tests only.
 */
export { createTestIssuer, TestIssuer, type TestJwk } from './test-issuer';
export type { TestIssuerOptions, TestTokenOptions } from './test-issuer-options.interface';
export { HostileTokens } from './hostile-tokens';
export { asPartner, withBearer, type HeaderSetter } from './as-partner';
export {
  base64url,
  decodeJws,
  encodeSegment,
  flipMiddleOfSignature,
  segmentsOf,
  signatureOf,
  signJws,
  unsignedJws,
  withHeader,
  withPayload,
  withSignature,
  type AsymmetricAlgorithm,
  type HmacAlgorithm,
  type JsonObject,
  type JwsSegment,
  type JwsSigner,
} from './jws';
export { overrideOAuthJwtOptions, type ProviderOverrides } from './override-oauth-jwt-options';
