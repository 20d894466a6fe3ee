import { Module, type DynamicModule } from '@nestjs/common';
import type { Partner } from './partner.interface';
import { PartnersController } from './partners.controller';
import { PARTNERS, PartnersService } from './partners.service';

@Module({})
export class PartnersModule {
  static register(partners: readonly Partner[]): DynamicModule {
    return {
      module: PartnersModule,
      controllers: [PartnersController],
      providers: [{ provide: PARTNERS, useValue: partners }, PartnersService],
      exports: [PartnersService],
    };
  }
}
