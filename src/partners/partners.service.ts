import { Inject, Injectable } from '@nestjs/common';
import type { ClientResolver } from '../oauth-jwt';
import type { Partner } from './partner.interface';

export const PARTNERS = 'APP:PARTNERS';

/** The partner registry (from PARTNERS_FILE) and the module's client resolver. */
@Injectable()
export class PartnersService implements ClientResolver<Partner> {
  private readonly byClientId: ReadonlyMap<string, Partner>;

  constructor(@Inject(PARTNERS) partners: readonly Partner[]) {
    this.byClientId = new Map(partners.map((partner) => [partner.clientId, partner]));
  }

  resolve(clientId: string): Partner | undefined {
    return this.byClientId.get(clientId);
  }
}
