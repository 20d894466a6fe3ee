import { Module } from '@nestjs/common';
import { PartnerChangesListener } from './partner-changes.listener';

/** Every instance evicts a partner announced as changed on Redis (see publishPartnerChange). */
@Module({ providers: [PartnerChangesListener] })
export class PartnerChangesModule {}
