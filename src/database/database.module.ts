import { Module, type DynamicModule } from '@nestjs/common';
import { globalConnectionModule } from '../connection/global-connection.module';
import { DATABASE } from './database.constants';
import type { DatabaseSettings, OpenDatabase } from './database';
import { openDatabase } from './open-database';

/**
 * Opens the database (migrating it) before the app starts and closes it on shutdown. Without
 * settings it provides undefined and the repositories keep their data in memory.
 */
@Module({})
export class DatabaseModule {
  static register(settings: DatabaseSettings | undefined): DynamicModule {
    return globalConnectionModule<OpenDatabase | undefined>({
      module: DatabaseModule,
      token: DATABASE,
      open: () => (settings ? openDatabase(settings) : undefined),
      close: async (database) => {
        await database?.close();
      },
    });
  }
}
