import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DATABASE } from './database.constants';
import type { DatabaseSettings, OpenDatabase } from './database';
import { openDatabase } from './open-database';

/**
 * Opens the database (migrating it) before the app starts and closes it on shutdown. Without
 * settings it provides undefined and the repositories keep their data in memory.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: OpenDatabase | undefined) {}

  static register(settings: DatabaseSettings | undefined): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATABASE,
          useFactory: () => (settings ? openDatabase(settings) : undefined),
        },
      ],
      exports: [DATABASE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database?.close();
  }
}
