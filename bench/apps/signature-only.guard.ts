import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { verify, type KeyObject } from 'node:crypto';

/** Injection token of the floor guard's public key (a KeyObject made once, at start-up). */
export const FLOOR_KEY = 'BENCH:FLOOR_KEY';

/**
 * The floor: the least a JWT guard can do. Reads `Bearer <token>`, checks the RS256 signature
 * with node:crypto and parses the claims; no header, issuer, audience, time or scope checks.
 */
@Injectable()
export class SignatureOnlyGuard implements CanActivate {
  constructor(@Inject(FLOOR_KEY) private readonly key: KeyObject) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const header = request.headers['authorization'];
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) {
      throw new UnauthorizedException();
    }
    const token = header.slice('Bearer '.length);
    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0) throw new UnauthorizedException();
    const valid = verify(
      'sha256',
      Buffer.from(token.slice(0, secondDot)),
      this.key,
      Buffer.from(token.slice(secondDot + 1), 'base64url'),
    );
    if (!valid) throw new UnauthorizedException();
    request.user = JSON.parse(
      Buffer.from(token.slice(firstDot + 1, secondDot), 'base64url').toString('utf8'),
    ) as unknown;
    return true;
  }
}
