import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateUserDto } from './create-user.dto';
import type { User } from './user.interface';

/** In-memory users, kept per partner: no partner can see or touch another's. */
@Injectable()
export class UsersService {
  private readonly byPartner = new Map<string, Map<string, User>>();

  list(partnerId: string): User[] {
    return [...this.usersOf(partnerId).values()];
  }

  find(partnerId: string, id: string): User | undefined {
    return this.usersOf(partnerId).get(id);
  }

  create(partnerId: string, input: CreateUserDto): User {
    const user: User = { id: randomUUID(), name: input.name, email: input.email };
    this.usersOf(partnerId).set(user.id, user);
    return user;
  }

  remove(partnerId: string, id: string): boolean {
    return this.usersOf(partnerId).delete(id);
  }

  private usersOf(partnerId: string): Map<string, User> {
    let users = this.byPartner.get(partnerId);
    if (!users) {
      users = new Map();
      this.byPartner.set(partnerId, users);
    }
    return users;
  }
}
