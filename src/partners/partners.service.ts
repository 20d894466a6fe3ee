import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientResolver } from '../oauth-jwt';
import { toPartner, type Partner, type PartnerSeed } from './partner.interface';
import { PartnersRepository } from './partners.repository';

export const PARTNER_SEEDS = 'APP:PARTNER_SEEDS';

/**
 * The module's client resolver: reads the partner registry on every cache miss (the module caches
 * verdicts for `clientCache.ttlSeconds`, 5 s). Seeds the registry from PARTNERS_FILE at start-up.
 */
@Injectable()
export class PartnersService implements ClientResolver<Partner>, OnModuleInit {
  constructor(
    private readonly partners: PartnersRepository,
    @Inject(PARTNER_SEEDS) private readonly seeds: readonly PartnerSeed[],
  ) {}

  async onModuleInit(): Promise<void> {
    await this.partners.seed(this.seeds);
  }

  async resolve(clientId: string): Promise<Partner | undefined> {
    const record = await this.partners.find(clientId);
    return record ? toPartner(record) : undefined;
  }
}
