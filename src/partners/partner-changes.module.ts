import { Module, type DynamicModule } from '@nestjs/common';
import { PartnerChangesWatcher } from './partner-changes.watcher';

/**
 * The watcher that evicts changed partners from the module's PartnerCache. Apart from
 * PartnersModule because the OAuth module (which provides the cache) imports that one.
 */
@Module({})
export class PartnerChangesModule {
  static register(partners: DynamicModule): DynamicModule {
    return {
      module: PartnerChangesModule,
      imports: [partners],
      providers: [PartnerChangesWatcher],
    };
  }
}
