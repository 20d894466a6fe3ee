import { Module } from '@nestjs/common';
import { DATABASE } from '../database/database.constants';
import type { OpenDatabase } from '../database/database';
import { MemoryUsersRepository } from './memory-users.repository';
import { SqlUsersRepository } from './sql-users.repository';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [
    {
      provide: UsersRepository,
      inject: [DATABASE],
      useFactory: (database: OpenDatabase | undefined) =>
        database ? new SqlUsersRepository(database.db) : new MemoryUsersRepository(),
    },
    UsersService,
  ],
  exports: [UsersService],
})
export class UsersModule {}
