import { Module, type DynamicModule } from '@nestjs/common';
import { DATABASE } from '../database/database.constants';
import type { OpenDatabase } from '../database/database';
import { MemoryPartnersRepository } from './memory-partners.repository';
import type { PartnerSeed } from './partner.interface';
import { PartnersController } from './partners.controller';
import { PartnersRepository } from './partners.repository';
import { PARTNER_SEEDS, PartnersService } from './partners.service';
import { SqlPartnersRepository } from './sql-partners.repository';

@Module({})
export class PartnersModule {
  static register(seeds: readonly PartnerSeed[]): DynamicModule {
    return {
      module: PartnersModule,
      controllers: [PartnersController],
      providers: [
        { provide: PARTNER_SEEDS, useValue: seeds },
        {
          provide: PartnersRepository,
          inject: [DATABASE],
          useFactory: (database: OpenDatabase | undefined) =>
            database ? new SqlPartnersRepository(database.db) : new MemoryPartnersRepository(),
        },
        PartnersService,
      ],
      exports: [PartnersService, PartnersRepository],
    };
  }
}
