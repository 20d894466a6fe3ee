import { GlobalConnectionModule } from '../connection/global-connection.module';
import { DATABASE } from './database.constants';
import type { DatabaseSettings, OpenDatabase } from './database';
import { openDatabase } from './open-database';

/**
 * Opens the database (migrating it) before the app starts and closes it on shutdown. Without
 * settings it provides undefined and the repositories keep their data in memory.
 */
export class DatabaseModule extends GlobalConnectionModule<
  OpenDatabase | undefined,
  DatabaseSettings | undefined
>({
  token: DATABASE,
  open: (settings) => (settings ? openDatabase(settings) : undefined),
  close: async (database) => {
    await database?.close();
  },
}) {}
