import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { Strategy } from 'passport-jwt';
import { bearerTokenOf } from './bearer-token-of';

type Verify = (
  token: string,
  key: KeyObject,
  options: object,
  done: (error: Error | null, payload?: unknown) => void,
) => void;

/** The verifier passport-jwt calls (jsonwebtoken's verify); the design card fixes it under us. */
const { JwtVerifier } = Strategy as unknown as { JwtVerifier: Verify };

/**
 * passport-jwt's verifier alone, as our strategy runs it (the same KeyObject, algorithms, issuer,
 * audience and clock tolerance), behind `Bearer <token>`: no header checks of ours, no principal,
 * no partner. Beside the floor guard it shows what the verifier itself costs on a cache miss.
 */
@Injectable()
export class VerifierOnlyGuard implements CanActivate {
  private readonly options: object;

  constructor(
    private readonly key: KeyObject,
    { issuer, audience }: { issuer: string; audience: string },
  ) {
    // The module's defaults: RS256 allowed, 5 s clock tolerance.
    this.options = { issuer, audience: [audience], algorithms: ['RS256'], clockTolerance: 5 };
  }

  canActivate(context: ExecutionContext): boolean {
    const [request, token] = bearerTokenOf(context);
    JwtVerifier(token, this.key, this.options, (error, payload) => {
      if (error) throw new UnauthorizedException();
      request.user = payload;
    });
    return true;
  }
}
