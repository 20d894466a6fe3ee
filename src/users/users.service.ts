import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import type { CreateUserDto } from './create-user.dto';
import { DEFAULT_PAGE_SIZE } from './page-query.pipes';
import type { User } from './user.interface';
import { UserEmailTakenError, UsersRepository } from './users.repository';

/** A page of users, and the cursor of the next one when there is more. */
export interface UsersPage {
  readonly users: User[];
  readonly next?: string;
}

/** A partner's users: the repository keeps every partner's apart. */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async list(partnerId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<UsersPage> {
    // One more than asked tells whether there is a next page.
    const users = await this.users.list(partnerId, {
      limit: limit + 1,
      ...(cursor === undefined ? {} : { after: cursor }),
    });
    if (users.length <= limit) return { users };
    const page = users.slice(0, limit);
    return { users: page, next: page.at(-1)?.id };
  }

  async find(partnerId: string, id: string): Promise<User> {
    // Not an id we could have made: missing, without asking the database (uuid column).
    const user = isUUID(id) ? await this.users.find(partnerId, id) : undefined;
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  async create(partnerId: string, input: CreateUserDto): Promise<User> {
    try {
      return await this.users.create(partnerId, {
        id: randomUUID(),
        name: input.name,
        email: input.email,
      });
    } catch (error) {
      if (error instanceof UserEmailTakenError) {
        throw new ConflictException('A user with this email already exists');
      }
      throw error;
    }
  }

  async remove(partnerId: string, id: string): Promise<void> {
    if (!isUUID(id) || !(await this.users.remove(partnerId, id)))
      throw new NotFoundException('User not found');
  }
}
