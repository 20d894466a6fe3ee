import { Module, type DynamicModule } from '@nestjs/common';
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AppSpec } from './app-spec';
import { SignatureFloorController } from './signature-floor.controller';
import { FLOOR_KEY, SignatureOnlyGuard } from './signature-only.guard';

/** The same Nest app with the minimal signature-only guard; its key is fetched once at start-up. */
@Module({})
export class SignatureFloorModule {
  static register(spec: AppSpec): DynamicModule {
    return {
      module: SignatureFloorModule,
      controllers: [SignatureFloorController],
      providers: [
        { provide: FLOOR_KEY, useFactory: () => fetchFirstKey(spec.jwksUri) },
        SignatureOnlyGuard,
      ],
    };
  }
}

async function fetchFirstKey(jwksUri: string): Promise<KeyObject> {
  const response = await fetch(jwksUri, { signal: AbortSignal.timeout(30_000) });
  const jwks = (await response.json()) as { keys?: JsonWebKey[] };
  const jwk = jwks.keys?.[0];
  if (!jwk) throw new Error(`no key at ${jwksUri}`);
  return createPublicKey({ key: jwk, format: 'jwk' });
}
