import type { TokenAlgorithm } from '../oauth-jwt-options.interface';
import type { KeySetStatus } from './key-set';
import type { SigningKey } from './signing-key';

/**
 * Where one issuer's verification keys come from: its JWKS (KeySet) or its shared secret
 * (SharedSecret). The strategy asks it for the key of a token; the token cache asks it whether a
 * key that verified a cached token still may.
 */
export interface KeySource {
  /** The key for a token with this header, or a BearerTokenException. */
  getSigningKey(kid: string | undefined, alg: TokenAlgorithm): Promise<SigningKey>;
  /** Whether a key handed out earlier may still vouch for a cached token. */
  has(signingKey: SigningKey): boolean;
  /** Fetches the keys now (no-op without a JWKS); rejects when no usable key could be had. */
  warmUp(): Promise<void>;
  status(): KeySetStatus;
}
