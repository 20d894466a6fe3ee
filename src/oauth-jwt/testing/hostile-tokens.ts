import type { JsonObject } from './jws';
import type { TestTokenOptions } from './test-issuer-options.interface';

/** A token before it is signed. */
export interface UnsignedToken {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

/** What HostileTokens needs from its issuer (TestIssuer implements it). */
export interface HostileTokenMint {
  /** The header and claims TestIssuer.token(options) would sign. */
  unsigned(options: TestTokenOptions): UnsignedToken;
  /** Signs with the key the issuer's JWKS publishes. */
  sign(token: UnsignedToken): string;
  /** Signs with an RSA key the JWKS does not hold. */
  signWithForeignKey(token: UnsignedToken): string;
  /** Signs with HMAC-SHA256 keyed with the published public key's PEM text. */
  signHs256WithPublicKey(token: UnsignedToken): string;
  /** An unsecured JWS (`alg` none, empty signature). */
  unsecured(token: UnsignedToken): string;
}

const ANOTHER_AUDIENCE = 'https://another-api.invalid';
const ANOTHER_ISSUER = 'https://another-issuer.invalid';
/** Far enough from now for any allowed clock tolerance (at most 300 s). */
const HOUR = 3600;

/**
 * Tokens the real guards must refuse, for an app's negative tests. Each differs from a valid
 * token of the same options in exactly one way, and each is refused with 401 `invalid_token` and
 * the `error_description` named in its comment.
 */
export class HostileTokens {
  constructor(private readonly mint: HostileTokenMint) {}

  /** `exp` an hour ago: "The access token expired". */
  expired(options: TestTokenOptions = {}): string {
    const now = nowSeconds();
    return this.signed(options, { iat: now - 2 * HOUR, exp: now - HOUR });
  }

  /** `nbf` an hour ahead: "The access token is not valid yet". */
  notYetValid(options: TestTokenOptions = {}): string {
    return this.signed(options, { nbf: nowSeconds() + HOUR });
  }

  /** `aud` is another API: "The access token is meant for another audience". */
  wrongAudience(options: TestTokenOptions = {}): string {
    return this.mint.sign(this.mint.unsigned({ ...options, audience: ANOTHER_AUDIENCE }));
  }

  /** `iss` is another issuer: "The access token was issued by another issuer". */
  wrongIssuer(options: TestTokenOptions = {}): string {
    return this.mint.sign(this.mint.unsigned({ ...options, issuer: ANOTHER_ISSUER }));
  }

  /** Signed by a key the JWKS does not hold, under a `kid` it does not list: "The access token is signed with an unknown key". */
  unknownKid(options: TestTokenOptions = {}): string {
    const token = this.mint.unsigned(options);
    const published = token.header['kid'];
    const kid = `unknown-${typeof published === 'string' ? published : 'key'}`;
    return this.mint.signWithForeignKey({ ...token, header: { ...token.header, kid } });
  }

  /** Signed by another key under the published `kid`: "The access token signature is invalid". */
  badSignature(options: TestTokenOptions = {}): string {
    return this.mint.signWithForeignKey(this.mint.unsigned(options));
  }

  /** Unsecured (`alg` none, empty signature, RFC 7519 §6): "The access token is malformed". */
  algNone(options: TestTokenOptions = {}): string {
    return this.mint.unsecured(this.mint.unsigned(options));
  }

  /**
   * HS256 keyed with the issuer's public key (the RS256/HS256 confusion attack):
   * "The access token is signed with an algorithm that is not allowed".
   */
  algConfusion(options: TestTokenOptions = {}): string {
    const token = this.mint.unsigned(options);
    return this.mint.signHs256WithPublicKey({
      ...token,
      header: { ...token.header, alg: 'HS256' },
    });
  }

  private signed(options: TestTokenOptions, claims: JsonObject): string {
    return this.mint.sign(
      this.mint.unsigned({ ...options, claims: { ...options.claims, ...claims } }),
    );
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
