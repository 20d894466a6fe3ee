import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** Longer headers are not remembered (real access tokens are far shorter). */
const MAX_CREDENTIAL_LENGTH = 8_192;

/**
 * Authorization header values that authenticated recently on this instance. A client IP over its
 * failed-authentication limit is refused before the signature check, except with one of these:
 * a partner behind the same address as an attacker keeps working with its valid token.
 */
@Injectable()
export class KnownCredentials {
  private readonly values = new LRUCache<string, true>({ max: 10_000, ttl: 10 * 60_000 });

  remember(authorization: unknown): void {
    if (typeof authorization !== 'string' || authorization.length > MAX_CREDENTIAL_LENGTH) return;
    if (!this.values.has(authorization)) this.values.set(authorization, true);
  }

  has(authorization: unknown): boolean {
    return typeof authorization === 'string' && this.values.has(authorization);
  }
}
