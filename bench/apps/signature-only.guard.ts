import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { bearerTokenOf } from './bearer-token-of';

/**
 * The floor: the least a JWT guard can do. Reads `Bearer <token>`, checks the RS256 signature with
 * node:crypto against a KeyObject made once, and parses the claims; no header, issuer, audience,
 * time or scope checks.
 */
@Injectable()
export class SignatureOnlyGuard implements CanActivate {
  constructor(private readonly key: KeyObject) {}

  /** The guard for the first key of the JWKS at `jwksUri`. */
  static async forJwks(jwksUri: string): Promise<SignatureOnlyGuard> {
    const response = await fetch(jwksUri, { signal: AbortSignal.timeout(10_000) });
    const jwk = ((await response.json()) as { keys?: JsonWebKey[] }).keys?.[0];
    if (!jwk) throw new Error(`no key at ${jwksUri}`);
    return new SignatureOnlyGuard(createPublicKey({ key: jwk, format: 'jwk' }));
  }

  canActivate(context: ExecutionContext): boolean {
    const [request, token] = bearerTokenOf(context);
    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0) throw new UnauthorizedException();
    const signature = Buffer.from(token.slice(secondDot + 1), 'base64url');
    if (!verify('sha256', Buffer.from(token.slice(0, secondDot)), this.key, signature)) {
      throw new UnauthorizedException();
    }
    const payload = Buffer.from(token.slice(firstDot + 1, secondDot), 'base64url');
    request.user = JSON.parse(payload.toString('utf8')) as unknown;
    return true;
  }
}
