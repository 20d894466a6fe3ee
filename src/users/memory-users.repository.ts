import type { User } from './user.interface';
import { UserEmailTakenError, UsersRepository, type UserPage } from './users.repository';

/** The users in memory, for apps built without a database (see MemoryPartnersRepository). */
export class MemoryUsersRepository extends UsersRepository {
  private readonly byPartner = new Map<string, Map<string, User>>();

  override list(partnerId: string, page: UserPage): Promise<User[]> {
    const sorted = [...this.usersOf(partnerId).values()]
      .filter((user) => page.after === undefined || user.id > page.after)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return Promise.resolve(sorted.slice(0, page.limit));
  }

  override find(partnerId: string, id: string): Promise<User | undefined> {
    return Promise.resolve(this.usersOf(partnerId).get(id));
  }

  override create(partnerId: string, user: User): Promise<User> {
    const taken = [...this.usersOf(partnerId).values()].some(
      (other) => other.email.toLowerCase() === user.email.toLowerCase(),
    );
    if (taken) return Promise.reject(new UserEmailTakenError());
    this.usersOf(partnerId).set(user.id, user);
    return Promise.resolve(user);
  }

  override remove(partnerId: string, id: string): Promise<boolean> {
    return Promise.resolve(this.usersOf(partnerId).delete(id));
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
