import { createSecretKey } from 'node:crypto';
import { BearerTokenException } from '../errors/bearer-token.exception';
import { SHARED_SECRET_ALGORITHMS, type TokenAlgorithm } from '../oauth-jwt-options.interface';
import type { KeySetStatus } from './key-set';
import type { KeySource } from './key-source.interface';
import type { SigningKey } from './signing-key';

/**
 * The key of an issuer that shares an HMAC secret with this API (HS256/384/512): one symmetric
 * KeyObject, never fetched, never combined with a JWKS, so an asymmetric token can never be
 * verified with it and no public key can ever act as an HMAC secret (RFC 8725 §2.1).
 */
export class SharedSecret implements KeySource {
  private readonly signingKey: SigningKey;

  constructor(secret: Buffer) {
    this.signingKey = Object.freeze({
      kid: undefined,
      alg: undefined,
      key: createSecretKey(Buffer.from(secret)),
    });
  }

  getSigningKey(_kid: string | undefined, alg: TokenAlgorithm): Promise<SigningKey> {
    // The header check allows only the issuer's algorithms; this guards the key itself too.
    if (!(SHARED_SECRET_ALGORITHMS as readonly string[]).includes(alg)) {
      return Promise.reject(new BearerTokenException('unsupported_algorithm'));
    }
    return Promise.resolve(this.signingKey);
  }

  has(signingKey: SigningKey): boolean {
    return signingKey === this.signingKey;
  }

  warmUp(): Promise<void> {
    return Promise.resolve();
  }

  status(): KeySetStatus {
    return { state: 'fresh', keyCount: 1, ageMs: undefined, fetchCount: 0, lastFailure: undefined };
  }
}
